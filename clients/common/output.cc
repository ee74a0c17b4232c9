#include "clients/common/output.h"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>

#include "clients/common/enum_names.h"

namespace acd::clients {
namespace {

bool NeedsQuotes(std::string_view value) {
  return std::ranges::any_of(value, [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte <= ' ' || c == '"' || c == '\\' || byte == 0x7f;
  });
}

void AppendQuoted(std::string_view value, std::string& out) {
  out += '"';
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < ' ' || byte == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof(escaped), "\\x%02x", byte);
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

KeyValueLine::KeyValueLine(std::string_view word) : text_(word) {}

KeyValueLine& KeyValueLine::Add(std::string_view key, std::string_view value) {
  text_ += ' ';
  text_ += key;
  text_ += '=';
  if (NeedsQuotes(value)) {
    AppendQuoted(value, text_);
  } else {
    text_ += value;
  }
  return *this;
}

KeyValueLine& KeyValueLine::AddNumber(std::string_view key, std::int64_t value) {
  return Add(key, std::to_string(value));
}

KeyValueLine& KeyValueLine::AddFlag(std::string_view key, bool value) {
  return Add(key, value ? "true" : "false");
}

Output::Output(std::string program) : program_(std::move(program)) {}

void Output::Print(const KeyValueLine& line) { PrintText(line.text()); }

void Output::PrintText(std::string_view text) {
  std::lock_guard lock(mu_);
  std::cout << text << '\n' << std::flush;
}

void Output::PrintStatus(const grpc::Status& status, std::string_view action) {
  std::string message(StatusCodeName(status.error_code()));
  message += ": ";
  if (!action.empty()) {
    message += action;
    message += ": ";
  }
  message += status.error_message();
  PrintError(message);
}

void Output::PrintError(std::string_view message) {
  std::lock_guard lock(mu_);
  std::cerr << program_ << ": " << message << '\n' << std::flush;
}

}  // namespace acd::clients
