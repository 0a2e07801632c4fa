// Precompiled header for shenbi_core: the LibTorch and OpenCV headers that
// every translation unit pays for otherwise (~10 s each on 2 cores).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>
