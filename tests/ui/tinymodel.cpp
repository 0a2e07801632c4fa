#include "tinymodel.h"

#include "core/io/model_dir.h"
#include "tests/support/tiny_model.h"

namespace shenbi::ui::test {

QString tinyEntityName() {
    return QStringLiteral("丁七");
}  // U+4E01 U+4E03

QString writeTinyModel(const QString& dir) {
    // The training tests' tiny_lattice_model(1) (tests/support/tiny_model.h)
    // but for its name and its last entity (七丈, U+4E03 U+4E08, there 七上).
    const auto bundle =
        shenbi::test::make_tiny_model({.seed = 1,
                                       .fusion = FusionMode::Lattice,
                                       .entities = {"[pad]", tinyEntityName().toStdString(), "丂丄", "七丈"},
                                       .entity_seed = 7,
                                       .name = "tiny-test"});
    auto saved = save_model_dir(*bundle, dir.toStdString());
    return saved.ok() ? QString() : QString::fromStdString(saved.message());
}

}  // namespace shenbi::ui::test
