#include "daemon/customer_history.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "daemon/core_runner.h"
#include "daemon/proto_convert.h"
#include "daemon/record_reader.h"

namespace acd::daemon {
namespace {

/// Whether two summaries are the same part of the same contact.
bool SamePart(const v1::InteractionSummary& a, const v1::InteractionSummary& b) {
  return a.contact_id() == b.contact_id() && a.outcome() == b.outcome() &&
         a.ended_at().seconds() == b.ended_at().seconds() &&
         a.ended_at().nanos() == b.ended_at().nanos();
}

/// Whether `a` ended after `b`.
bool EndedAfter(const v1::InteractionSummary& a, const v1::InteractionSummary& b) {
  if (a.ended_at().seconds() != b.ended_at().seconds()) {
    return a.ended_at().seconds() > b.ended_at().seconds();
  }
  return a.ended_at().nanos() > b.ended_at().nanos();
}

}  // namespace

CustomerHistory::CustomerHistory(Options options) : options_(options) {}

CustomerHistory::Entry& CustomerHistory::Touch(const std::string& tenant,
                                               const std::string& customer) {
  Key key(tenant, customer);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    recency_.splice(recency_.begin(), recency_, it->second.recency);
    return it->second;
  }
  if (entries_.size() >= options_.customers && !recency_.empty()) {
    entries_.erase(recency_.back());
    recency_.pop_back();
  }
  recency_.push_front(key);
  Entry& entry = entries_[std::move(key)];
  entry.recency = recency_.begin();
  return entry;
}

void CustomerHistory::Merge(Entry& entry, const InteractionRow& row,
                            const routing::Router& router) {
  v1::InteractionSummary summary;
  convert::ToProto(row, summary);
  summary.mutable_customer()->set_id(row.customer_id);
  if (!row.agent.empty()) {
    if (const std::optional<routing::AgentView> agent =
            router.FindAgent(routing::AgentId(row.agent))) {
      summary.set_agent_display_name(agent->display_name);
    }
  }
  std::vector<v1::InteractionSummary>& kept = entry.interactions;
  for (v1::InteractionSummary& existing : kept) {
    if (!SamePart(existing, summary)) continue;
    // The store's copy knows the survey score; the journaled one may not yet.
    existing.set_csat_score(std::max(existing.csat_score(), summary.csat_score()));
    return;
  }
  auto place = std::find_if(kept.begin(), kept.end(), [&](const v1::InteractionSummary& other) {
    return EndedAfter(summary, other);
  });
  if (static_cast<std::size_t>(place - kept.begin()) >= options_.per_customer) return;
  kept.insert(place, std::move(summary));
  if (kept.size() > options_.per_customer) kept.pop_back();
}

void CustomerHistory::Add(const JournalRecord& record, const routing::Router& router) {
  for (const InteractionRow& row : record.interactions) {
    if (row.customer_id.empty()) continue;
    Merge(Touch(row.tenant, row.customer_id), row, router);
  }
  for (const SurveyRow& survey : record.surveys) {
    const std::optional<routing::ContactView> contact =
        router.FindContact(routing::ContactId(survey.contact));
    if (!contact || contact->details.customer.id.empty()) continue;
    auto it = entries_.find(Key(survey.tenant, contact->details.customer.id));
    if (it == entries_.end()) continue;
    const std::string contact_id = convert::ContactIdString(routing::ContactId(survey.contact));
    for (v1::InteractionSummary& summary : it->second.interactions) {
      if (summary.contact_id() == contact_id) summary.set_csat_score(survey.score);
    }
  }
}

void CustomerHistory::Fill(const std::string& tenant, const std::string& customer,
                           const std::vector<InteractionRow>& rows, const routing::Router& router) {
  Entry& entry = Touch(tenant, customer);
  for (const InteractionRow& row : rows) Merge(entry, row, router);
  entry.loaded = true;
}

bool CustomerHistory::Loaded(const std::string& tenant, const std::string& customer) const {
  auto it = entries_.find(Key(tenant, customer));
  return it != entries_.end() && it->second.loaded;
}

void CustomerHistory::CopyTo(const std::string& tenant, const std::string& customer,
                             google::protobuf::RepeatedPtrField<v1::InteractionSummary>& out) {
  if (customer.empty() || !entries_.contains(Key(tenant, customer))) return;
  for (const v1::InteractionSummary& summary : Touch(tenant, customer).interactions) {
    *out.Add() = summary;
  }
}

void LoadCustomerHistory(CustomerHistory& history, RecordReader& records, CoreRunner& core,
                         const std::string& tenant, const std::string& customer,
                         std::function<void(CoreRunner&)> then) {
  if (customer.empty() || history.Loaded(tenant, customer)) {
    then(core);
    return;
  }
  InteractionQuery query{
      .tenant = tenant, .customer_id = customer, .limit = static_cast<int>(history.per_customer())};
  records.Post(
      [&history, &core, query = std::move(query), then = std::move(then)](Store& store) mutable {
        absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> read =
            store.ReadInteractions(query);
        std::vector<InteractionRow> rows;
        if (read.ok()) {
          for (auto& [id, row] : *read) rows.push_back(std::move(row));
        } else {
          spdlog::warn("cannot read a customer's history for an offer: {}",
                       std::string(read.status().message()));
        }
        core.Post([&history, ok = read.ok(), query = std::move(query), rows = std::move(rows),
                   then = std::move(then)](CoreRunner& runner) {
          if (ok) history.Fill(query.tenant, *query.customer_id, rows, runner.router());
          then(runner);
        });
      });
}

void WarmCustomerHistory(CustomerHistory& history, Store& store, const routing::Router& router,
                         const routing::Catalog& catalog) {
  std::size_t failed = 0;
  for (const routing::TenantConfig& tenant : catalog.tenants) {
    for (const routing::ContactView& contact : router.ListContacts(tenant.id)) {
      const std::string& customer = contact.details.customer.id;
      if (customer.empty() || history.Loaded(tenant.id.value(), customer)) continue;
      if (history.size() >= history.capacity()) return;
      absl::StatusOr<std::vector<std::pair<std::int64_t, InteractionRow>>> read =
          store.ReadInteractions({.tenant = tenant.id.value(),
                                  .customer_id = customer,
                                  .limit = static_cast<int>(history.per_customer())});
      if (!read.ok()) {
        ++failed;
        continue;
      }
      std::vector<InteractionRow> rows;
      for (auto& [id, row] : *read) rows.push_back(std::move(row));
      history.Fill(tenant.id.value(), customer, rows, router);
    }
  }
  if (failed > 0) {
    spdlog::warn("could not read the history of {} customers waiting at the start", failed);
  }
}

}  // namespace acd::daemon
