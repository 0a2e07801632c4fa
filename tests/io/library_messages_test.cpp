// Library texts that reached users: OpenCV's
// "pixels <= CV_IO_MAX_IMAGE_PIXELS" for a huge image, and LibTorch's
// "[enforce fail at inline_container.cc:NNN] . ..." for a zip it cannot read.
// Both are now said in words, with the file and a short form of the reason.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/format/torch_file.h"
#include "core/image/image_io.h"
#include "core/util/atomic_file.h"
#include "core/util/hash.h"
#include "tests/support/temp_dir.h"

namespace shenbi {
namespace {

using test::TempDir;

void append_be32(std::string& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// One PNG chunk: length, type, data, CRC-32 of type and data.
std::string png_chunk(const std::string& type, const std::string& data) {
    std::string out;
    append_be32(out, static_cast<std::uint32_t>(data.size()));
    const std::string body = type + data;
    out += body;
    append_be32(out, crc32(body.data(), body.size()));
    return out;
}

// A valid PNG header declaring a width x height 8-bit grey image; OpenCV
// checks the size after reading the header, before any pixel.
std::string png_declaring(std::uint32_t width, std::uint32_t height) {
    std::string ihdr;
    append_be32(ihdr, width);
    append_be32(ihdr, height);
    ihdr += std::string("\x08\x00\x00\x00\x00", 5);  // bit depth 8, grey, deflate, no filter, no interlace
    return std::string("\x89PNG\r\n\x1a\n", 8) + png_chunk("IHDR", ihdr) +
           png_chunk("IDAT", std::string("\x78\x9c\x03\x00\x00\x00\x00\x01", 8)) + png_chunk("IEND", "");
}

void expect_no_library_internals(const std::string& message) {
    for (const char* internal : {"<=", "CV_IO_MAX", "enforce fail", "inline_container", ".cc:", ".cpp:",
                                 "PytorchStreamReader", "INTERNAL ASSERT", "Could this error message"}) {
        // "OPENCV_IO_MAX_IMAGE_PIXELS" (the variable a user sets) is allowed.
        std::string rest = message;
        for (auto at = rest.find("OPENCV_IO_MAX"); at != std::string::npos; at = rest.find("OPENCV_IO_MAX"))
            rest.erase(at, 13);
        EXPECT_EQ(rest.find(internal), std::string::npos) << internal << " in: " << message;
    }
}

// 40000 x 40000 = 1.6e9 pixels, above OpenCV's 2^30: the message used to be
// "decode image: pixels <= CV_IO_MAX_IMAGE_PIXELS".
TEST(LibraryMessages, AnImageAboveOpenCvsPixelLimitSaysSoInWords) {
    const std::string png = png_declaring(40000, 40000);
    auto decoded = decode_image(std::vector<std::uint8_t>(png.begin(), png.end()));
    ASSERT_FALSE(decoded.ok());
    EXPECT_EQ(decoded.error().code, ErrorCode::Unsupported);
    EXPECT_EQ(decoded.message().rfind("image is larger than OpenCV's limit of ", 0), 0u) << decoded.message();
    EXPECT_NE(decoded.message().find("OPENCV_IO_MAX_IMAGE_PIXELS"), std::string::npos) << decoded.message();
    expect_no_library_internals(decoded.message());

    TempDir dir;
    const auto path = dir / "huge.png";
    ASSERT_TRUE(write_file_atomic(path, png).ok());
    auto read = read_image(path.string());
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, ErrorCode::Unsupported);
    EXPECT_EQ(read.message().rfind(path.string() + ": image is larger than OpenCV's limit of ", 0), 0u)
        << read.message();
    expect_no_library_internals(read.message());

    // An image within the limits still decodes.
    auto small = encode_png(cv::Mat(2, 3, CV_8UC3, cv::Scalar(10, 20, 30)));
    ASSERT_TRUE(small.ok()) << small.message();
    auto back = decode_image(*small);
    ASSERT_TRUE(back.ok()) << back.message();
    EXPECT_EQ(back->cols, 3);
    EXPECT_EQ(back->rows, 2);
}

// read_state_dict's refusal of `path`: Corrupt, "<path>: not a PyTorch zip
// checkpoint (or damaged): <reason>", with none of LibTorch's internals.
Error refused_as_not_a_checkpoint(const std::filesystem::path& path) {
    auto sd = read_state_dict(path);
    EXPECT_FALSE(sd.ok());
    if (sd.ok()) return make_error(ErrorCode::Internal, "read");
    EXPECT_EQ(sd.error().code, ErrorCode::Corrupt);
    EXPECT_EQ(sd.message().rfind(path.string() + ": not a PyTorch zip checkpoint (or damaged): ", 0), 0u)
        << sd.message();
    expect_no_library_internals(sd.message());
    return sd.error();
}

// The first member of a zip is not in a folder: PyTorch's reader refuses it
// with "[enforce fail at inline_container.cc:NNN] . file in archive is not in
// a subdirectory: archive_data.pkl". The zip itself is valid (its CRCs too),
// so only that reader sees the problem.
TEST(LibraryMessages, PyTorchsZipReaderFailuresNameTheFileWithoutItsSources) {
    TempDir dir;
    const auto path = dir / "weights.pt";
    ASSERT_TRUE(write_state_dict(path, {{"w", torch::ones({4})}}).ok());
    std::string bytes = read_file(path).value();
    int renamed = 0;  // "archive/data.pkl" -> "archive_data.pkl" in the local headers and the directory
    for (auto at = bytes.find("archive/"); at != std::string::npos; at = bytes.find("archive/", at)) {
        bytes[at + 7] = '_';
        ++renamed;
    }
    ASSERT_GE(renamed, 4);
    ASSERT_TRUE(write_file_atomic(path, bytes).ok());
    const Error sd = refused_as_not_a_checkpoint(path);
    EXPECT_NE(sd.message.find("not in a subdirectory"), std::string::npos) << sd.message;
    // The entity-table reader goes through the same archive code.
    auto table = read_tensor_file(path);
    ASSERT_FALSE(table.ok());
    EXPECT_EQ(table.message(), sd.message);
}

// A zip with a signature and an empty, valid directory: whatever the reader
// says (no files, or miniz's reason), it is said without its source.
TEST(LibraryMessages, AnEmptyZipIsNotAPyTorchCheckpoint) {
    TempDir dir;
    const auto path = dir / "empty.pt";
    std::string bytes("PK\x03\x04", 4);
    bytes += std::string(26, '\0');                                 // a local header of nothing
    bytes += std::string("PK\x05\x06", 4) + std::string(18, '\0');  // end of directory: 0 entries at 0
    ASSERT_TRUE(write_file_atomic(path, bytes).ok());
    refused_as_not_a_checkpoint(path);
}

}  // namespace
}  // namespace shenbi
