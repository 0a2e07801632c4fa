// Generation records read back from image files (ui/services/metadata.h):
// PNG text chunks, JPEG EXIF/XMP, WebP RIFF chunks and A1111 `parameters`
// text, over arbitrary bytes. The studio runs this on any image dropped on
// it, so it must never crash whatever the file holds.
#include <QByteArray>

#include "tests/fuzz/fuzz_input.h"
#include "ui/services/metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const auto embedded = shenbi::ui::metadata::read(bytes);
    (void)shenbi::ui::metadata::recordFrom(embedded);
    (void)shenbi::ui::metadata::pngText(bytes);
    // The A1111 parser also takes pasted text, which need not come from a file.
    (void)shenbi::ui::metadata::recordFromA1111(QString::fromUtf8(bytes));
    return 0;
}
