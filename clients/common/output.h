#pragma once

#include <grpcpp/support/status.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace acd::clients {

/// One machine-greppable output line: a leading word, then ` key=value` pairs in the order
/// added. Values with spaces, quotes, backslashes or control characters are written in double
/// quotes with C-style escapes; other values (including empty ones) are written as they are.
class KeyValueLine {
 public:
  /// Starts a line with `word` (e.g. "contact", "event", "offer").
  explicit KeyValueLine(std::string_view word);

  /// Appends `key=value`.
  KeyValueLine& Add(std::string_view key, std::string_view value);
  /// Appends `key=value` for a number.
  KeyValueLine& AddNumber(std::string_view key, std::int64_t value);
  /// Appends `key=true` or `key=false`.
  KeyValueLine& AddFlag(std::string_view key, bool value);

  /// The line so far, without a newline.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

/// Writes a program's output: lines on stdout, each flushed at once (scripts and tests read it
/// through pipes), and errors on stderr as `PROGRAM: CODE: message`. Thread-safe: lines from
/// different threads never interleave.
class Output {
 public:
  /// `program` prefixes error messages ("acd-gateway").
  explicit Output(std::string program);

  /// Prints `line` and a newline on stdout and flushes.
  void Print(const KeyValueLine& line);
  /// Prints `text` and a newline on stdout and flushes.
  void PrintText(std::string_view text);

  /// Prints `PROGRAM: CODE: message` on stderr; with `action`, `PROGRAM: CODE: action: message`.
  void PrintStatus(const grpc::Status& status, std::string_view action = {});
  /// Prints `PROGRAM: message` on stderr.
  void PrintError(std::string_view message);

 private:
  const std::string program_;
  std::mutex mu_;  // Guards writes to stdout and stderr.
};

}  // namespace acd::clients
