#pragma once

#include <string>
#include <vector>

namespace acd::clients::acdctl {

/// A plain-text table for people: a header row, then one row per item, columns padded to the
/// widest cell and separated by two spaces. Empty cells show as "-".
class Table {
 public:
  /// A column's title and alignment (numbers read best right-aligned).
  struct Column {
    std::string title;
    bool align_right = false;
  };

  explicit Table(std::vector<Column> columns);

  /// Adds a row; `cells` has one entry per column.
  void AddRow(std::vector<std::string> cells);

  /// The table's lines, header first, without trailing spaces or newlines.
  std::vector<std::string> Render() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace acd::clients::acdctl
