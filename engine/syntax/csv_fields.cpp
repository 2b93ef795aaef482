#include "syntax/csv_fields.h"

namespace envbuilder::dockerfile {

CsvResult split_csv(std::string_view value) {
    CsvResult r;
    size_t i = 0;
    const size_t n = value.size();
    while (true) {
        CsvField field;
        field.begin = i;
        if (i < n && value[i] == '"') {
            ++i;
            bool closed = false;
            while (i < n) {
                if (value[i] == '"') {
                    if (i + 1 < n && value[i + 1] == '"') {
                        field.text.push_back('"');
                        i += 2;
                        continue;
                    }
                    closed = true;
                    ++i;
                    break;
                }
                field.text.push_back(value[i++]);
            }
            if (!closed) {
                r.error = "a quoted field is not closed";
                r.error_offset = field.begin;
                return r;
            }
            if (i < n && value[i] != ',') {
                r.error = "unexpected character after a quoted field";
                r.error_offset = i;
                return r;
            }
        } else {
            while (i < n && value[i] != ',') {
                if (value[i] == '"') {
                    r.error = "a '\"' inside an unquoted field (quote the whole field)";
                    r.error_offset = i;
                    return r;
                }
                field.text.push_back(value[i++]);
            }
        }
        field.end = i;
        r.fields.push_back(std::move(field));
        if (i >= n) break;
        ++i;  // ','
    }
    return r;
}

}  // namespace envbuilder::dockerfile
