#include "clients/acdctl/table.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace acd::clients::acdctl {

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (std::string& cell : cells) {
    if (cell.empty()) cell.push_back('-');
  }
  rows_.push_back(std::move(cells));
}

std::vector<std::string> Table::Render() const {
  std::vector<std::size_t> widths;
  for (const Column& column : columns_) widths.push_back(column.title.size());
  for (const std::vector<std::string>& row : rows_) {
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  const auto render_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) line += "  ";
      const std::size_t padding = widths[i] - cells[i].size();
      if (columns_[i].align_right) line.append(padding, ' ');
      line += cells[i];
      if (!columns_[i].align_right) line.append(padding, ' ');
    }
    line.erase(line.find_last_not_of(' ') + 1);
    return line;
  };
  std::vector<std::string> lines;
  std::vector<std::string> header;
  for (const Column& column : columns_) header.push_back(column.title);
  lines.push_back(render_row(header));
  for (const std::vector<std::string>& row : rows_) lines.push_back(render_row(row));
  return lines;
}

}  // namespace acd::clients::acdctl
