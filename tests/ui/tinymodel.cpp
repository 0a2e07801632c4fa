#include "tinymodel.h"

#include <torch/torch.h>

#include "core/io/model_dir.h"
#include "core/knowledge/entity_table.h"
#include "core/model/model_bundle.h"

namespace shenbi::ui::test {

QString tinyEntityName() {
    return QStringLiteral("丁七");
}  // U+4E01 U+4E03

QString writeTinyModel(const QString& dir) {
    auto config = ModelConfig::preset("tiny").value();
    config.gpt.fusion = FusionMode::Lattice;
    config.name = "tiny-test";
    torch::manual_seed(7);
    const std::vector<std::string> names{"[pad]", tinyEntityName().toStdString(), "丂丄", "七丈"};
    auto entities =
        std::make_shared<EntityTable>(EntityTable::from_names(names, torch::randn({4, config.gpt.ent_dim})));
    auto bundle = make_random_bundle(config, 1, nullptr, entities);
    auto saved = save_model_dir(*bundle, dir.toStdString());
    return saved.ok() ? QString() : QString::fromStdString(saved.message());
}

}  // namespace shenbi::ui::test
