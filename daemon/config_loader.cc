#include "daemon/config_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "daemon/token_digest.h"
#include "routing/catalog.h"
#include "routing/ids.h"
#include "routing/time.h"

namespace acd::daemon {
namespace {

using routing::AgentConfig;
using routing::Channel;
using routing::Duration;
using routing::QueueConfig;
using routing::TenantConfig;

// ---------------------------------------------------------------------------------------------
// Scalars.

struct DurationUnit {
  absl::string_view suffix;
  std::int64_t micros;
};
constexpr std::array<DurationUnit, 6> kDurationUnits = {{
    {"us", 1},
    {"ms", 1'000},
    {"s", 1'000'000},
    {"m", 60'000'000},
    {"h", 3'600'000'000},
    {"d", 86'400'000'000},
}};
constexpr absl::string_view kDurationHint = "a duration such as 500ms, 20s, 2m or 1h";

/// A non-negative whole number followed by a unit (us, ms, s, m, h, d): "500ms", "20s", "2m",
/// "1h", "90d".
/// nullopt for anything else, including negative values and values that overflow.
std::optional<Duration> ParseDuration(absl::string_view text) {
  if (text.empty() || text.front() == '-') return std::nullopt;
  std::int64_t count = 0;
  const char* const end = text.data() + text.size();
  const auto [unit, error] = std::from_chars(text.data(), end, count);
  if (error != std::errc() || unit == text.data()) return std::nullopt;
  const absl::string_view suffix(unit, static_cast<std::size_t>(end - unit));
  for (const DurationUnit& candidate : kDurationUnits) {
    if (suffix != candidate.suffix) continue;
    if (count > std::numeric_limits<Duration::rep>::max() / candidate.micros) return std::nullopt;
    return Duration(count * candidate.micros);
  }
  return std::nullopt;
}

/// A whole decimal number, optionally negative, and nothing else.
std::optional<int> ParseInt(absl::string_view text) {
  int value = 0;
  const char* const end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest != end || text.empty()) return std::nullopt;
  return value;
}

/// A finite decimal number and nothing else.
std::optional<double> ParseNumber(absl::string_view text) {
  double value = 0;
  const char* const end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || rest != end || text.empty() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::string Quoted(absl::string_view text) { return absl::StrCat("'", text, "'"); }

/// Converts the core's std::string_view names: Debian's abseil has its own string_view type.
absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

std::string ChannelChoices() {
  std::vector<absl::string_view> names;
  for (std::size_t i = 0; i < routing::kChannelCount; ++i) {
    names.push_back(ToAbsl(routing::ChannelName(static_cast<Channel>(i))));
  }
  return absl::StrJoin(names, ", ");
}

std::string StrategyChoices() {
  std::vector<absl::string_view> names;
  for (std::size_t i = 0; i < routing::kStrategyCount; ++i) {
    names.push_back(ToAbsl(routing::StrategyName(static_cast<routing::SelectionStrategy>(i))));
  }
  return absl::StrJoin(names, ", ");
}

std::optional<absl::Weekday> ParseWeekday(absl::string_view name) {
  static constexpr std::array<std::pair<absl::string_view, absl::Weekday>, 7> kWeekdays = {{
      {"monday", absl::Weekday::monday},
      {"tuesday", absl::Weekday::tuesday},
      {"wednesday", absl::Weekday::wednesday},
      {"thursday", absl::Weekday::thursday},
      {"friday", absl::Weekday::friday},
      {"saturday", absl::Weekday::saturday},
      {"sunday", absl::Weekday::sunday},
  }};
  for (const auto& [weekday_name, weekday] : kWeekdays) {
    if (weekday_name == name) return weekday;
  }
  return std::nullopt;
}

/// "HH:MM" as minutes after midnight, "24:00" included; nullopt for anything else.
std::optional<int> ParseClockTime(absl::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  std::optional<int> hours = ParseInt(text.substr(0, 2));
  std::optional<int> minutes = ParseInt(text.substr(3, 2));
  if (!hours || !minutes || *hours < 0 || *minutes < 0 || *minutes > 59) return std::nullopt;
  const int total = *hours * 60 + *minutes;
  if (total > routing::kMinutesPerDay) return std::nullopt;
  return total;
}

/// "HH:MM-HH:MM" as [open, close) minutes after midnight, closing after opening.
std::optional<std::pair<int, int>> ParseOpeningPeriod(absl::string_view text) {
  const std::size_t dash = text.find('-');
  if (dash == absl::string_view::npos) return std::nullopt;
  std::optional<int> open = ParseClockTime(text.substr(0, dash));
  std::optional<int> close = ParseClockTime(text.substr(dash + 1));
  if (!open || !close || *close <= *open) return std::nullopt;
  return std::make_pair(*open, *close);
}

/// Levenshtein distance, to suggest the key a typo meant.
std::size_t EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// ---------------------------------------------------------------------------------------------
// Error reporting.

/// Keeps the first error of a parse, located as "SOURCE:LINE:COLUMN: ". Readers record errors here
/// and carry on with defaults, which keeps them short; the parse result is discarded as soon as
/// anything was recorded, so those defaults never reach the daemon.
class Errors {
 public:
  explicit Errors(absl::string_view source_name) : source_name_(source_name) {}

  /// Records `message` at `mark` (0-based, as yaml-cpp counts) unless an error came first.
  void Add(const YAML::Mark& mark, absl::string_view message) {
    if (failed()) return;
    const int line = mark.is_null() ? 1 : mark.line + 1;
    const int column = mark.is_null() ? 1 : mark.column + 1;
    status_ = absl::InvalidArgumentError(
        absl::StrCat(source_name_, ":", line, ":", column, ": ", message));
  }

  bool failed() const { return !status_.ok(); }
  const absl::Status& status() const { return status_; }

 private:
  std::string source_name_;
  absl::Status status_;
};

/// One `key: value` of a mapping, with where each part came from.
struct Entry {
  std::string key;
  YAML::Mark key_mark;
  YAML::Node value;
  /// The key's mark when the value is empty: yaml-cpp places an empty value at the next token.
  YAML::Mark value_mark;
};

/// One element of a list of strings.
struct Item {
  std::string value;
  YAML::Mark mark;
};

/// Reads one YAML mapping with string keys. Errors are prefixed with `what` (e.g. "queue
/// 'acme.billing'"). An empty value (`key:` with nothing after it) reads as an empty mapping.
/// Callers name the mapping (set_what) and then call RejectUnknownKeys or RejectRepeatedKeys.
class MapReader {
 public:
  /// `mark` locates errors about the mapping as a whole.
  MapReader(Errors& errors, const YAML::Node& node, const YAML::Mark& mark, std::string what)
      : errors_(errors), mark_(mark), what_(std::move(what)) {
    if (node.IsNull()) return;
    if (!node.IsMap()) {
      Fail("expected a mapping of 'key: value' entries");
      return;
    }
    if (!node.Mark().is_null()) mark_ = node.Mark();
    for (const auto& key_value : node) {
      // Copies: yaml-cpp hands out nodes by value (they share the document's memory).
      const YAML::Node key = key_value.first;
      const YAML::Node value = key_value.second;
      if (!key.IsScalar()) {
        Fail(key.Mark(), "keys must be plain strings");
        return;
      }
      const bool has_position = value.IsDefined() && !value.IsNull() && !value.Mark().is_null();
      Entry entry{.key = key.Scalar(),
                  .key_mark = key.Mark(),
                  .value = value,
                  .value_mark = has_position ? value.Mark() : key.Mark()};
      // Reported by RejectRepeatedKeys, once the caller has named the mapping after its id.
      (Find(entry.key) == nullptr ? entries_ : repeats_).push_back(std::move(entry));
    }
  }

  const YAML::Mark& mark() const { return mark_; }
  const std::string& what() const { return what_; }
  void set_what(std::string what) { what_ = std::move(what); }
  const std::vector<Entry>& entries() const { return entries_; }

  /// Records an error for a key that appears twice: YAML allows it and keeps one of the values,
  /// which hides mistakes.
  void RejectRepeatedKeys() {
    if (repeats_.empty()) return;
    const Entry& repeat = repeats_.front();
    Fail(repeat.key_mark, absl::StrCat("key ", Quoted(repeat.key), " appears twice (first on line ",
                                       Find(repeat.key)->key_mark.line + 1, ")"));
  }

  /// As RejectRepeatedKeys, then records an error for the first key not in `allowed`, suggesting
  /// the one it was probably meant to be.
  void RejectUnknownKeys(std::initializer_list<absl::string_view> allowed) {
    RejectRepeatedKeys();
    for (const Entry& entry : entries_) {
      if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
      std::string message = absl::StrCat("unknown key ", Quoted(entry.key));
      const auto closest = std::min_element(
          allowed.begin(), allowed.end(), [&entry](absl::string_view a, absl::string_view b) {
            return EditDistance(entry.key, a) < EditDistance(entry.key, b);
          });
      if (closest != allowed.end() && EditDistance(entry.key, *closest) <= 2) {
        absl::StrAppend(&message, " (did you mean ", Quoted(*closest), "?)");
      } else {
        absl::StrAppend(&message, " (expected one of: ", absl::StrJoin(allowed, ", "), ")");
      }
      Fail(entry.key_mark, message);
      return;
    }
  }

  /// The entry of `key`, or null.
  const Entry* Find(absl::string_view key) const {
    for (const Entry& entry : entries_) {
      if (entry.key == key) return &entry;
    }
    return nullptr;
  }

  /// Whether `key` is present; records an error when it is not.
  bool Require(absl::string_view key) {
    if (Find(key) != nullptr) return true;
    Fail(absl::StrCat("missing required key ", Quoted(key)));
    return false;
  }

  void Fail(absl::string_view message) { Fail(mark_, message); }
  void Fail(const YAML::Mark& mark, absl::string_view message) {
    errors_.Add(mark, what_.empty() ? std::string(message) : absl::StrCat(what_, ": ", message));
  }

  /// The text of a scalar value; records an error and returns nullopt when it is anything else.
  std::optional<std::string> Scalar(const Entry& entry) {
    if (entry.value.IsNull()) {
      Fail(entry.value_mark, absl::StrCat(Quoted(entry.key), " needs a value"));
      return std::nullopt;
    }
    if (!entry.value.IsScalar()) {
      Fail(entry.value_mark, absl::StrCat(Quoted(entry.key), " must be a single value"));
      return std::nullopt;
    }
    return entry.value.Scalar();
  }

  /// A non-empty string; nullopt when absent (or wrong, after recording an error).
  std::optional<std::string> OptionalString(absl::string_view key) {
    const Entry* entry = Find(key);
    if (entry == nullptr) return std::nullopt;
    std::optional<std::string> text = Scalar(*entry);
    if (text && text->empty()) {
      Fail(entry->value_mark, absl::StrCat(Quoted(key), " must not be empty"));
      return std::nullopt;
    }
    return text;
  }

  /// A non-empty string that must be present; "" after recording an error.
  std::string RequiredString(absl::string_view key) {
    if (!Require(key)) return "";
    return OptionalString(key).value_or("");
  }

  /// The whole number value of `entry`; nullopt after recording an error.
  std::optional<int> IntOf(const Entry& entry) {
    std::optional<std::string> text = Scalar(entry);
    if (!text) return std::nullopt;
    std::optional<int> value = ParseInt(*text);
    if (!value) {
      Fail(entry.value_mark,
           absl::StrCat(Quoted(entry.key), " must be a whole number, not ", Quoted(*text)));
    }
    return value;
  }

  int Int(absl::string_view key, int fallback) {
    const Entry* entry = Find(key);
    return entry == nullptr ? fallback : IntOf(*entry).value_or(fallback);
  }

  bool Bool(absl::string_view key, bool fallback) {
    const Entry* entry = Find(key);
    if (entry == nullptr) return fallback;
    std::optional<std::string> text = Scalar(*entry);
    if (!text) return fallback;
    if (*text == "true") return true;
    if (*text == "false") return false;
    Fail(entry->value_mark,
         absl::StrCat(Quoted(key), " must be true or false, not ", Quoted(*text)));
    return fallback;
  }

  double Number(absl::string_view key, double fallback) {
    const Entry* entry = Find(key);
    if (entry == nullptr) return fallback;
    std::optional<std::string> text = Scalar(*entry);
    if (!text) return fallback;
    std::optional<double> value = ParseNumber(*text);
    if (!value) {
      Fail(entry->value_mark, absl::StrCat(Quoted(key), " must be a number, not ", Quoted(*text)));
    }
    return value.value_or(fallback);
  }

  Duration DurationValue(absl::string_view key, Duration fallback) {
    const Entry* entry = Find(key);
    if (entry == nullptr) return fallback;
    std::optional<std::string> text = Scalar(*entry);
    if (!text) return fallback;
    std::optional<Duration> value = ParseDuration(*text);
    if (!value) {
      Fail(entry->value_mark,
           absl::StrCat(Quoted(key), " must be ", kDurationHint, ", not ", Quoted(*text)));
    }
    return value.value_or(fallback);
  }

  /// The elements of a list of non-empty strings without repeats; empty when absent or empty.
  std::vector<Item> StringList(absl::string_view key) {
    std::vector<Item> items;
    const Entry* entry = Find(key);
    if (entry == nullptr || entry->value.IsNull()) return items;
    if (!entry->value.IsSequence()) {
      Fail(entry->value_mark, absl::StrCat(Quoted(key), " must be a list, e.g. [a, b]"));
      return items;
    }
    for (const YAML::Node& element : entry->value) {
      const YAML::Mark mark = element.Mark().is_null() ? entry->value_mark : element.Mark();
      if (!element.IsScalar() || element.Scalar().empty()) {
        Fail(mark, absl::StrCat("every element of ", Quoted(key), " must be a non-empty string"));
        return {};
      }
      const std::string& value = element.Scalar();
      if (std::any_of(items.begin(), items.end(),
                      [&value](const Item& item) { return item.value == value; })) {
        Fail(mark, absl::StrCat(Quoted(key), " lists ", Quoted(value), " twice"));
        return {};
      }
      items.push_back(Item{.value = value, .mark = mark});
    }
    return items;
  }

 private:
  Errors& errors_;
  YAML::Mark mark_;
  std::string what_;
  std::vector<Entry> entries_;
  /// Second and later occurrences of a key.
  std::vector<Entry> repeats_;
};

// ---------------------------------------------------------------------------------------------
// The configuration.

/// A token as read, with where to point when its references turn out to be wrong.
struct TokenEntry {
  TokenConfig config;
  std::string what;
  YAML::Mark tenant_mark;
  YAML::Mark agent_mark;
};

/// One parse of one configuration text.
class ConfigParser {
 public:
  explicit ConfigParser(absl::string_view source_name) : errors_(source_name) {}

  absl::StatusOr<DaemonConfig> Parse(absl::string_view yaml_text) {
    try {
      ParseDocuments(yaml_text);
    } catch (const YAML::Exception& e) {
      // Syntax errors, and anything else yaml-cpp throws while nodes are read.
      errors_.Add(e.mark, absl::StrCat("YAML error: ", e.msg));
    }
    if (errors_.failed()) return errors_.status();
    return std::move(config_);
  }

 private:
  void ParseDocuments(absl::string_view yaml_text) {
    const std::vector<YAML::Node> documents = YAML::LoadAll(std::string(yaml_text));
    if (documents.empty() || documents.front().IsNull()) {
      errors_.Add(YAML::Mark(), "the configuration is empty");
      return;
    }
    if (documents.size() > 1) {
      errors_.Add(documents[1].Mark(), "only one YAML document is allowed");
      return;
    }
    const YAML::Node& root = documents.front();
    MapReader top(errors_, root, root.Mark(), /*what=*/"");
    top.RejectUnknownKeys({"tenants", "queues", "agents", "tokens", "records"});
    root_mark_ = top.mark();

    // Sections are read in dependency order, whatever their order in the file.
    ForEachElement(top, "tenants", &ConfigParser::ParseTenant);
    ForEachElement(top, "queues", &ConfigParser::ParseQueue);
    ForEachElement(top, "agents", &ConfigParser::ParseAgent);
    ForEachElement(top, "tokens", &ConfigParser::ParseToken);
    if (const Entry* entry = top.Find("records")) {
      MapReader records(errors_, entry->value, entry->value_mark, "records");
      records.RejectUnknownKeys({"retention"});
      config_.record_retention = records.DurationValue("retention", config_.record_retention);
    }
    if (errors_.failed()) return;
    CheckCatalog();
    if (errors_.failed()) return;
    CheckTokens();
  }

  using ElementParser = void (ConfigParser::*)(const YAML::Node&, std::string);

  /// Calls `parse` on each element of the list `key` of `top`, naming each "key[i]" until its id
  /// is known.
  void ForEachElement(MapReader& top, absl::string_view key, ElementParser parse) {
    const Entry* entry = top.Find(key);
    if (entry == nullptr || entry->value.IsNull()) return;
    if (!entry->value.IsSequence()) {
      top.Fail(entry->value_mark, absl::StrCat(Quoted(key), " must be a list of entries"));
      return;
    }
    std::size_t index = 0;
    for (const YAML::Node& element : entry->value) {
      (this->*parse)(element, absl::StrCat(key, "[", index++, "]"));
    }
  }

  /// Starts reading an entity: names `map` after its id ("queue 'acme.billing'"), checks its keys
  /// against `allowed`, requires the id (the `id_key` entry), records where the entity is for
  /// CheckCatalog and rejects a second entity of `kind` with that id. Returns the id.
  std::string ReadEntity(MapReader& map, absl::string_view kind,
                         std::initializer_list<absl::string_view> allowed,
                         absl::string_view id_key = "id") {
    // Named first, so that even a typo in the id key is reported with its entity's name.
    if (const Entry* entry = map.Find(id_key);
        entry != nullptr && entry->value.IsScalar() && !entry->value.Scalar().empty()) {
      map.set_what(absl::StrCat(kind, " ", Quoted(entry->value.Scalar())));
    }
    map.RejectUnknownKeys(allowed);
    std::string id = map.RequiredString(id_key);
    if (id.empty()) return id;
    const auto [it, inserted] = entities_.try_emplace({std::string(kind), id}, map.mark());
    if (!inserted) {
      map.Fail(map.Find(id_key)->value_mark,
               absl::StrCat("duplicate ", kind, " ", id_key, ", first defined on line ",
                            it->second.line + 1));
    }
    return id;
  }

  void ParseTenant(const YAML::Node& node, std::string what) {
    MapReader map(errors_, node, node.Mark(), std::move(what));
    TenantConfig tenant;
    tenant.id = routing::TenantId(ReadEntity(map, "tenant",
                                             {"id", "name", "time_zone", "skills", "agent_policy",
                                              "not_ready_reasons", "disposition_codes"}));
    tenant.display_name = map.OptionalString("name").value_or(tenant.id.value());
    tenant.time_zone = TimeZoneValue(map, "time_zone").value_or(tenant.time_zone);
    for (Item& skill : map.StringList("skills")) tenant.skills.push_back(std::move(skill.value));
    for (Item& reason : map.StringList("not_ready_reasons")) {
      tenant.not_ready_reasons.push_back(std::move(reason.value));
    }
    for (Item& code : map.StringList("disposition_codes")) {
      tenant.disposition_codes.push_back(std::move(code.value));
    }
    if (const Entry* entry = map.Find("agent_policy")) {
      MapReader policy_map(errors_, entry->value, entry->value_mark,
                           absl::StrCat(map.what(), " agent_policy"));
      policy_map.RejectUnknownKeys(
          {"decline_cooldown", "no_answer_cooldown", "not_ready_after_misses", "disconnect_grace"});
      routing::AgentPolicy& policy = tenant.agent_policy;
      policy.decline_cooldown =
          policy_map.DurationValue("decline_cooldown", policy.decline_cooldown);
      policy.no_answer_cooldown =
          policy_map.DurationValue("no_answer_cooldown", policy.no_answer_cooldown);
      policy.not_ready_after_misses =
          policy_map.Int("not_ready_after_misses", policy.not_ready_after_misses);
      policy.disconnect_grace =
          policy_map.DurationValue("disconnect_grace", policy.disconnect_grace);
    }
    config_.catalog.tenants.push_back(std::move(tenant));
  }

  void ParseQueue(const YAML::Node& node, std::string what) {
    MapReader map(errors_, node, node.Mark(), std::move(what));
    QueueConfig queue;
    queue.id = routing::QueueId(ReadEntity(
        map, "queue",
        {"id", "tenant", "name", "channels", "priority", "service_level", "strategy",
         "offer_timeout", "wrap_up", "preferred_agent_timeout", "short_abandon_threshold",
         "business_hours", "closed_overflow", "max_size", "max_wait", "overflow", "steps"}));
    queue.tenant = routing::TenantId(map.RequiredString("tenant"));
    queue.display_name = map.OptionalString("name").value_or(queue.id.value());
    if (map.Require("channels")) {
      for (const Item& item : map.StringList("channels")) {
        std::optional<Channel> channel = routing::ParseChannel(item.value);
        if (!channel) {
          map.Fail(item.mark, absl::StrCat("unknown channel ", Quoted(item.value),
                                           " (expected one of: ", ChannelChoices(), ")"));
          continue;
        }
        queue.channels.push_back(*channel);
      }
    }
    queue.default_priority = map.Int("priority", queue.default_priority);
    if (const Entry* entry = map.Find("service_level")) {
      MapReader level(errors_, entry->value, entry->value_mark,
                      absl::StrCat(map.what(), " service_level"));
      level.RejectUnknownKeys({"target", "threshold"});
      queue.service_level_target = level.Number("target", queue.service_level_target);
      queue.service_level_threshold =
          level.DurationValue("threshold", queue.service_level_threshold);
    }
    if (const Entry* entry = map.Find("strategy")) {
      if (std::optional<std::string> name = map.Scalar(*entry)) {
        if (std::optional<routing::SelectionStrategy> strategy = routing::ParseStrategy(*name)) {
          queue.strategy = *strategy;
        } else {
          map.Fail(entry->value_mark, absl::StrCat("unknown strategy ", Quoted(*name),
                                                   " (expected one of: ", StrategyChoices(), ")"));
        }
      }
    }
    queue.offer_timeout = map.DurationValue("offer_timeout", queue.offer_timeout);
    if (const Entry* entry = map.Find("wrap_up")) {
      MapReader wrap_up(errors_, entry->value, entry->value_mark,
                        absl::StrCat(map.what(), " wrap_up"));
      wrap_up.RejectUnknownKeys({"policy", "timeout"});
      if (const Entry* policy_entry = wrap_up.Find("policy")) {
        if (std::optional<std::string> name = wrap_up.Scalar(*policy_entry)) {
          if (std::optional<routing::WrapUpPolicy> policy = routing::ParseWrapUpPolicy(*name)) {
            queue.wrap_up.policy = *policy;
          } else {
            wrap_up.Fail(policy_entry->value_mark,
                         absl::StrCat("unknown wrap-up policy ", Quoted(*name),
                                      " (expected one of: none, timed, mandatory)"));
          }
        }
      }
      queue.wrap_up.timeout = wrap_up.DurationValue("timeout", queue.wrap_up.timeout);
    }
    queue.preferred_agent_timeout =
        map.DurationValue("preferred_agent_timeout", queue.preferred_agent_timeout);
    queue.short_abandon_threshold =
        map.DurationValue("short_abandon_threshold", queue.short_abandon_threshold);
    if (const Entry* entry = map.Find("business_hours")) {
      queue.business_hours = ParseBusinessHours(map, *entry);
    }
    queue.closed_overflow = ParseOverflow(map, "closed_overflow");
    queue.max_size = map.Int("max_size", queue.max_size);
    if (map.Find("max_wait") != nullptr) {
      queue.max_wait = map.DurationValue("max_wait", Duration::zero());
    }
    queue.overflow = ParseOverflow(map, "overflow").value_or(queue.overflow);
    if (const Entry* entry = map.Find("steps"); entry != nullptr && !entry->value.IsNull()) {
      if (!entry->value.IsSequence()) {
        map.Fail(entry->value_mark, "'steps' must be a list of {after, <action>}");
      } else {
        std::size_t index = 0;
        for (const YAML::Node& step_node : entry->value) {
          MapReader step(errors_, step_node,
                         step_node.Mark().is_null() ? entry->value_mark : step_node.Mark(),
                         absl::StrCat(map.what(), " step ", ++index));
          if (std::optional<routing::QueueStep> parsed = ParseStep(step)) {
            queue.steps.push_back(std::move(*parsed));
          }
        }
      }
    }
    config_.catalog.queues.push_back(std::move(queue));
  }

  /// `{after: <duration>, <action>: <argument>}` with exactly one action.
  std::optional<routing::QueueStep> ParseStep(MapReader& map) {
    static constexpr std::array<absl::string_view, 6> kActions = {
        "relax_skill", "drop_skill",         "boost_priority",
        "add_queue",   "notify_supervisors", "overflow"};
    map.RejectUnknownKeys({"after", "relax_skill", "drop_skill", "boost_priority", "add_queue",
                           "notify_supervisors", "overflow"});
    routing::QueueStep step;
    if (map.Require("after")) step.after = map.DurationValue("after", step.after);
    std::vector<const Entry*> actions;
    for (absl::string_view action : kActions) {
      if (const Entry* entry = map.Find(action)) actions.push_back(entry);
    }
    if (actions.size() != 1) {
      map.Fail(absl::StrCat(
          "a step needs exactly one action (one of: ", absl::StrJoin(kActions, ", "), ")"));
      return std::nullopt;
    }
    const Entry& action = *actions.front();
    if (action.key == "relax_skill") {
      MapReader relax(errors_, action.value, action.value_mark,
                      absl::StrCat(map.what(), " relax_skill"));
      relax.RejectUnknownKeys({"skill", "min_level"});
      step.action =
          routing::RelaxSkill{.skill = relax.RequiredString("skill"),
                              .min_level = relax.Require("min_level") ? relax.Int("min_level", 0)
                                                                      : routing::kMinSkillLevel};
    } else if (action.key == "drop_skill") {
      step.action = routing::DropSkill{.skill = map.Scalar(action).value_or("")};
    } else if (action.key == "boost_priority") {
      step.action = routing::BoostPriority{.by = map.IntOf(action).value_or(0)};
    } else if (action.key == "add_queue") {
      step.action = routing::AddQueue{.queue = routing::QueueId(map.Scalar(action).value_or(""))};
    } else if (action.key == "notify_supervisors") {
      step.action = routing::NotifySupervisors{.message = map.Scalar(action).value_or("")};
    } else {
      step.action = ParseOverflow(map, "overflow").value_or(routing::Overflow{});
    }
    return step;
  }

  /// An IANA time zone from the system's zoneinfo; nullopt when absent (or unknown, after
  /// recording an error).
  std::optional<absl::TimeZone> TimeZoneValue(MapReader& map, absl::string_view key) {
    std::optional<std::string> name = map.OptionalString(key);
    if (!name) return std::nullopt;
    absl::TimeZone zone;
    if (!absl::LoadTimeZone(*name, &zone)) {
      map.Fail(map.Find(key)->value_mark,
               absl::StrCat("unknown time zone ", Quoted(*name),
                            " (an IANA name such as \"Europe/Lisbon\"; is tzdata installed?)"));
      return std::nullopt;
    }
    return zone;
  }

  /// `key: {action: queue|callback|reject, queue: <id>}`; nullopt when absent.
  std::optional<routing::Overflow> ParseOverflow(MapReader& parent, absl::string_view key) {
    const Entry* entry = parent.Find(key);
    if (entry == nullptr) return std::nullopt;
    MapReader map(errors_, entry->value, entry->value_mark, absl::StrCat(parent.what(), " ", key));
    map.RejectUnknownKeys({"action", "queue"});
    routing::Overflow overflow;
    const std::string action = map.RequiredString("action");
    if (std::optional<routing::OverflowAction> parsed = routing::ParseOverflowAction(action)) {
      overflow.action = *parsed;
    } else if (!action.empty()) {
      map.Fail(map.Find("action")->value_mark,
               absl::StrCat("unknown overflow action ", Quoted(action),
                            " (expected one of: queue, callback, reject)"));
    }
    overflow.queue = routing::QueueId(map.OptionalString("queue").value_or(""));
    return overflow;
  }

  /// `business_hours: {time_zone: <IANA>, weekly: {monday: ["08:00-18:00"], ...},
  /// holidays: [{date: YYYY-MM-DD, name: ...}]}`.
  routing::BusinessHours ParseBusinessHours(MapReader& parent, const Entry& entry) {
    MapReader map(errors_, entry.value, entry.value_mark,
                  absl::StrCat(parent.what(), " business_hours"));
    map.RejectUnknownKeys({"time_zone", "weekly", "holidays"});
    routing::BusinessHours hours;
    if (map.Require("time_zone")) {
      hours.time_zone = TimeZoneValue(map, "time_zone").value_or(hours.time_zone);
    }
    if (const Entry* weekly_entry = map.Find("weekly")) {
      MapReader weekly(errors_, weekly_entry->value, weekly_entry->value_mark,
                       absl::StrCat(map.what(), " weekly"));
      weekly.RejectRepeatedKeys();
      for (const Entry& day_entry : weekly.entries()) {
        std::optional<absl::Weekday> day = ParseWeekday(day_entry.key);
        if (!day) {
          weekly.Fail(day_entry.key_mark, absl::StrCat("unknown weekday ", Quoted(day_entry.key),
                                                       " (expected monday ... sunday)"));
          continue;
        }
        for (const Item& item : weekly.StringList(day_entry.key)) {
          std::optional<std::pair<int, int>> period = ParseOpeningPeriod(item.value);
          if (!period) {
            weekly.Fail(item.mark, absl::StrCat("opening period ", Quoted(item.value),
                                                " must be HH:MM-HH:MM, closing after opening "
                                                "(24:00 for midnight)"));
            continue;
          }
          hours.weekly.push_back(routing::OpeningPeriod{
              .day = *day, .open_minute = period->first, .close_minute = period->second});
        }
      }
    }
    if (const Entry* holidays = map.Find("holidays");
        holidays != nullptr && !holidays->value.IsNull()) {
      if (!holidays->value.IsSequence()) {
        map.Fail(holidays->value_mark, "'holidays' must be a list of {date, name}");
        return hours;
      }
      for (const YAML::Node& node : holidays->value) {
        MapReader holiday(errors_, node, node.Mark().is_null() ? holidays->value_mark : node.Mark(),
                          absl::StrCat(map.what(), " holiday"));
        holiday.RejectUnknownKeys({"date", "name"});
        const std::string date = holiday.RequiredString("date");
        absl::CivilDay day;
        if (!date.empty() && !absl::ParseCivilTime(date, &day)) {
          holiday.Fail(holiday.Find("date")->value_mark,
                       absl::StrCat("date ", Quoted(date), " must be YYYY-MM-DD"));
          continue;
        }
        hours.holidays.push_back(
            routing::Holiday{.date = day, .name = holiday.OptionalString("name").value_or("")});
      }
    }
    return hours;
  }

  void ParseAgent(const YAML::Node& node, std::string what) {
    MapReader map(errors_, node, node.Mark(), std::move(what));
    AgentConfig agent;
    agent.id = routing::AgentId(ReadEntity(map, "agent",
                                           {"id", "tenant", "name", "team", "skills", "queues",
                                            "capacity", "voice_exclusive", "auto_accept"}));
    agent.tenant = routing::TenantId(map.RequiredString("tenant"));
    agent.display_name = map.OptionalString("name").value_or(agent.id.value());
    agent.team = map.OptionalString("team").value_or("");
    if (const Entry* entry = map.Find("skills")) {
      MapReader skills(errors_, entry->value, entry->value_mark,
                       absl::StrCat(map.what(), " skills"));
      skills.RejectRepeatedKeys();
      for (const Entry& skill : skills.entries()) {
        agent.skills.push_back(
            {.skill = skill.key, .level = skills.IntOf(skill).value_or(routing::kMinSkillLevel)});
      }
    }
    for (Item& queue : map.StringList("queues")) {
      agent.queues.emplace_back(std::move(queue.value));
    }
    if (const Entry* entry = map.Find("capacity")) {
      MapReader capacity(errors_, entry->value, entry->value_mark,
                         absl::StrCat(map.what(), " capacity"));
      capacity.RejectRepeatedKeys();
      for (const Entry& channel_entry : capacity.entries()) {
        std::optional<Channel> channel = routing::ParseChannel(channel_entry.key);
        if (!channel) {
          capacity.Fail(channel_entry.key_mark,
                        absl::StrCat("unknown channel ", Quoted(channel_entry.key),
                                     " (expected one of: ", ChannelChoices(), ")"));
          continue;
        }
        std::optional<int> count = capacity.IntOf(channel_entry);
        if (count) agent.capacity[static_cast<std::size_t>(*channel)] = *count;
      }
    }
    agent.voice_exclusive = map.Bool("voice_exclusive", agent.voice_exclusive);
    for (const Item& item : map.StringList("auto_accept")) {
      if (std::optional<Channel> channel = routing::ParseChannel(item.value)) {
        agent.auto_accept[static_cast<std::size_t>(*channel)] = true;
      } else {
        map.Fail(item.mark, absl::StrCat("unknown channel ", Quoted(item.value),
                                         " (expected one of: ", ChannelChoices(), ")"));
      }
    }
    config_.catalog.agents.push_back(std::move(agent));
  }

  void ParseToken(const YAML::Node& node, std::string what) {
    MapReader map(errors_, node, node.Mark(), std::move(what));
    TokenEntry token;
    token.config.name = ReadEntity(
        map, "token",
        {"name", "token", "token_sha256", "client_certificate", "role", "tenant", "agent"},
        /*id_key=*/"name");
    token.what = map.what();

    // The secret is hashed at once and the clear text dropped: only digests are kept.
    const Entry* secret_entry = nullptr;
    std::optional<TokenDigest> digest;
    if (const Entry* hashed = map.Find("token_sha256")) {
      secret_entry = hashed;
      if (map.Find("token") != nullptr) {
        map.Fail(map.Find("token")->key_mark,
                 "give either 'token_sha256' or 'token' (a clear-text demo secret), not both");
      } else if (std::optional<std::string> hex = map.OptionalString("token_sha256")) {
        digest = ParseTokenDigest(*hex);
        if (!digest) {
          map.Fail(hashed->value_mark,
                   "'token_sha256' must be 64 hexadecimal digits: the SHA-256 of the secret "
                   "(acdd --hash-token, or printf %s SECRET | sha256sum)");
        }
      }
    } else if (map.Find("token") != nullptr) {
      secret_entry = map.Find("token");
      if (std::optional<std::string> secret = map.OptionalString("token")) {
        digest = DigestToken(*secret);
        token.config.given_in_clear = true;
      }
    } else if (map.Find("client_certificate") == nullptr) {
      map.Fail(
          "missing 'token_sha256' (the SHA-256 of the secret; 'token' for a demo) or "
          "'client_certificate'");
    }
    if (std::optional<std::string> certificate = map.OptionalString("client_certificate")) {
      const auto [it, inserted] = certificates_.try_emplace(*certificate, token.config.name);
      if (!inserted) {
        map.Fail(map.Find("client_certificate")->value_mark,
                 absl::StrCat("client certificate ", Quoted(*certificate),
                              " already authenticates token ", Quoted(it->second)));
      }
      token.config.client_certificate = std::move(*certificate);
    }
    if (digest) {
      token.config.token_sha256 = *digest;
      const auto [it, inserted] = secrets_.try_emplace(*digest, token.config.name);
      if (!inserted) {
        // Never echo the secret or its hash: error messages end up in logs.
        map.Fail(secret_entry->value_mark,
                 absl::StrCat("the same token value is already used by token ", Quoted(it->second),
                              "; every token must be unique"));
      }
    }

    const std::string role_name = map.RequiredString("role");
    std::optional<Role> role = ParseRole(role_name);
    if (!role) {
      if (!role_name.empty()) {
        map.Fail(map.Find("role")->value_mark,
                 absl::StrCat("unknown role ", Quoted(role_name),
                              " (expected one of: gateway, agent, supervisor, admin)"));
      }
      return;
    }
    token.config.role = *role;

    if (std::optional<std::string> tenant = map.OptionalString("tenant")) {
      token.config.tenant = routing::TenantId(std::move(*tenant));
      token.tenant_mark = map.Find("tenant")->value_mark;
    } else if (*role != Role::kAdmin) {
      map.Fail(absl::StrCat("role ", Quoted(role_name),
                            " needs a 'tenant' (only admin tokens may span all tenants)"));
    }

    if (std::optional<std::string> agent = map.OptionalString("agent")) {
      token.config.agent = routing::AgentId(std::move(*agent));
      token.agent_mark = map.Find("agent")->value_mark;
      if (*role != Role::kAgent) {
        map.Fail(token.agent_mark,
                 absl::StrCat("only role 'agent' takes an 'agent', not role ", Quoted(role_name)));
      }
    } else if (*role == Role::kAgent) {
      map.Fail("role 'agent' needs an 'agent': the agent this token acts as");
    }
    tokens_.push_back(std::move(token));
  }

  /// Maps the catalog's first inconsistency back to the entity's position in the file.
  void CheckCatalog() {
    std::optional<routing::CatalogProblem> problem = config_.catalog.FindProblem();
    if (!problem) return;
    const auto entity = entities_.find({problem->entity_kind, problem->entity_id});
    errors_.Add(entity == entities_.end() ? root_mark_ : entity->second,
                absl::StrCat(problem->entity_kind, " ", Quoted(problem->entity_id), ": ",
                             problem->message));
  }

  /// Checks token references against the (consistent) catalog.
  void CheckTokens() {
    std::set<std::string> tenants;
    for (const TenantConfig& tenant : config_.catalog.tenants) tenants.insert(tenant.id.value());
    for (TokenEntry& token : tokens_) {
      const TokenConfig& config = token.config;
      if (!config.tenant.value().empty() && !tenants.contains(config.tenant.value())) {
        errors_.Add(token.tenant_mark,
                    absl::StrCat(token.what, ": unknown tenant ", Quoted(config.tenant.value())));
        return;
      }
      if (config.role == Role::kAgent) {
        const auto& agents = config_.catalog.agents;
        const auto agent = std::find_if(agents.begin(), agents.end(),
                                        [&config](const auto& a) { return a.id == config.agent; });
        if (agent == agents.end() || agent->tenant != config.tenant) {
          errors_.Add(token.agent_mark,
                      absl::StrCat(token.what, ": agent ", Quoted(config.agent.value()),
                                   " is not defined in tenant ", Quoted(config.tenant.value())));
          return;
        }
      }
      config_.tokens.push_back(std::move(token.config));
    }
  }

  Errors errors_;
  DaemonConfig config_;
  YAML::Mark root_mark_;
  /// Where each entity was defined, by kind ("tenant", "queue", "agent", "token") and id.
  std::map<std::pair<std::string, std::string>, YAML::Mark> entities_;
  /// Token name by the secret's digest, to reject a secret used twice.
  std::map<TokenDigest, std::string> secrets_;
  /// Token name by client certificate name, to reject a certificate named twice.
  std::map<std::string, std::string> certificates_;
  std::vector<TokenEntry> tokens_;
};

}  // namespace

absl::StatusOr<DaemonConfig> LoadConfigFile(const std::string& path) {
  std::error_code error;
  const std::filesystem::file_status status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) {
    return absl::NotFoundError(absl::StrCat(path, ": configuration file not found"));
  }
  if (std::filesystem::is_directory(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": is a directory, not a configuration file"));
  }
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot read the configuration file"));
  }
  return ParseConfig(text.str(), path);
}

absl::StatusOr<DaemonConfig> ParseConfig(std::string_view yaml_text, std::string_view source_name) {
  // Debian's abseil has its own string_view type, hence the conversions.
  return ConfigParser(ToAbsl(source_name)).Parse(ToAbsl(yaml_text));
}

}  // namespace acd::daemon
