// A tiny model directory on disk (tests only): the "tiny" preset with
// lattice fusion and a four-entity table, random weights, synthetic CJK
// vocabulary (tests/support/tiny_model.h). The only UI test source that
// includes LibTorch.
#pragma once

#include <QString>

namespace shenbi::ui::test {

// Writes the model to `dir`; returns an empty string, or the error.
QString writeTinyModel(const QString& dir);
// A name in the tiny model's entity table ("丁七").
QString tinyEntityName();

}  // namespace shenbi::ui::test
