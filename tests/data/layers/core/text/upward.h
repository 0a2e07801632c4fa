// A fixture for the layering check (tests/util/CMakeLists.txt): text is below
// model, so this include must fail the build.
#pragma once

#include "core/model/gpt.h"
#include "core/util/result.h"
