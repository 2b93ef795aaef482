#pragma once
// A comma-separated record as Go's encoding/csv reads one (RUN --mount's value): fields may be
// quoted, with "" for a quote inside. Each field keeps its offsets in the value.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envbuilder::dockerfile {

struct CsvField {
    std::string text;
    size_t begin = 0, end = 0;
};

struct CsvResult {
    std::vector<CsvField> fields;
    std::optional<std::string> error;
    size_t error_offset = 0;
};

CsvResult split_csv(std::string_view value);

}  // namespace envbuilder::dockerfile
