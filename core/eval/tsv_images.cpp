#include "core/eval/tsv_images.h"

#include "core/data/tsv_reader.h"
#include "core/image/image_io.h"
#include "core/util/base64.h"

namespace shenbi {

namespace {

// "['aGVsbG8=', 'd29ybGQ=']" -> the quoted strings; a plain field -> itself.
std::vector<std::string_view> image_fields(std::string_view field) {
    std::vector<std::string_view> out;
    if (field.empty() || field.front() != '[') {
        out.push_back(field);
        return out;
    }
    for (std::size_t p = 0; p < field.size();) {
        const auto q = field.find_first_of("'\"", p);
        if (q == std::string_view::npos) break;
        const auto end = field.find(field[q], q + 1);
        if (end == std::string_view::npos) break;
        out.push_back(field.substr(q + 1, end - q - 1));
        p = end + 1;
    }
    return out;
}

}  // namespace

Result<TsvImages> read_tsv_images(const std::filesystem::path& path, std::size_t max_images) {
    auto reader = TsvReader::open(path);
    if (!reader) return reader.error();
    TsvImages out;
    TsvRow row;
    while (reader->next(row) && (max_images == 0 || out.images.size() < max_images)) {
        if (row.fields.size() < 3)
            return make_error(ErrorCode::Corrupt, reader->where(row) + ": expected idx, text, image columns, found " +
                                                      std::to_string(row.fields.size()) + " column(s)");
        const auto images = image_fields(row.fields.back());
        if (images.empty()) return make_error(ErrorCode::Corrupt, reader->where(row) + ": empty image list");
        for (const auto b64 : images) {
            auto bytes = base64_decode(b64);
            if (!bytes)
                return make_error(ErrorCode::Corrupt, reader->where(row) + ": image column: " + bytes.message());
            auto image = decode_image(*bytes);
            if (!image) return make_error(ErrorCode::Corrupt, reader->where(row) + ": " + image.message());
            out.images.push_back(std::move(*image));
            out.texts.emplace_back(row.fields[1]);
            out.ids.emplace_back(row.fields[0]);
            if (max_images != 0 && out.images.size() >= max_images) break;
        }
    }
    if (out.images.empty()) return make_error(ErrorCode::InvalidArgument, path.string() + ": no images");
    return out;
}

}  // namespace shenbi
