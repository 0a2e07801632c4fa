#include "core/eval/nsfwjs_weights.h"

#include <regex>

#include "core/util/atomic_file.h"
#include "core/util/base64.h"
#include "core/util/guard.h"

namespace shenbi {

namespace fs = std::filesystem;

namespace {

struct ManifestEntry {
    std::string name;
    std::vector<std::int64_t> shape;
    double min = 0, scale = 0;
};

struct Manifest {
    std::vector<std::string> paths;  // shard file stems, in order
    std::vector<ManifestEntry> weights;
};

// The manifest is a JS literal, not JSON (unquoted keys, numbers like .02):
// {paths:["group1-shard1of6",...],weights:[{name:"x",shape:[3,3],dtype:"float32",
//  quantization:{min:-1.4,scale:.02,dtype:"uint8"}},...]}
Result<Manifest> parse_manifest(const std::string& js, const fs::path& file) {
    const auto at = js.find("weightsManifest:[");
    if (at == std::string::npos) return make_error(ErrorCode::Corrupt, file.string() + ": no weightsManifest");
    Manifest m;
    static const std::regex paths_re(R"re(paths:\[([^\]]*)\])re");
    static const std::regex quoted_re(R"re("([^"]+)")re");
    std::smatch pm;
    const std::string tail = js.substr(at);
    if (!std::regex_search(tail, pm, paths_re))
        return make_error(ErrorCode::Corrupt, file.string() + ": no shard paths");
    const std::string plist = pm[1];
    for (std::sregex_iterator it(plist.begin(), plist.end(), quoted_re), end; it != end; ++it)
        m.paths.push_back((*it)[1]);
    static const std::regex weight_re(
        R"re(\{name:"([^"]+)",shape:\[([0-9,]*)\],dtype:"([a-z0-9]+)",quantization:\{min:([-+.0-9eE]+),scale:([-+.0-9eE]+),dtype:"([a-z0-9]+)"\}\})re");
    for (std::sregex_iterator it(tail.begin(), tail.end(), weight_re), end; it != end; ++it) {
        const auto& w = *it;
        if (w[3] != "float32" || w[6] != "uint8")
            return make_error(ErrorCode::Unsupported, file.string() + ": tensor " + w[1].str() + " is " + w[3].str() +
                                                          " quantised as " + w[6].str() +
                                                          " (only float32 as uint8 is read)");
        ManifestEntry e;
        e.name = w[1];
        const std::string dims = w[2];
        for (std::size_t p = 0; p < dims.size();) {
            const auto q = dims.find(',', p);
            e.shape.push_back(std::stoll(dims.substr(p, q - p)));
            p = q == std::string::npos ? dims.size() : q + 1;
        }
        e.min = std::stod(w[4]);
        e.scale = std::stod(w[5]);
        m.weights.push_back(std::move(e));
    }
    if (m.paths.empty() || m.weights.empty())
        return make_error(ErrorCode::Corrupt, file.string() + ": empty weights manifest");
    return m;
}

// One shard: `exports="<base64>"` inside a browserify wrapper.
Result<std::vector<std::uint8_t>> read_shard(const fs::path& file) {
    auto text = read_file(file);
    if (!text) return text.error();
    const auto begin = text->find("exports=\"");
    const auto end = begin == std::string::npos ? begin : text->find('"', begin + 9);
    if (end == std::string::npos) return make_error(ErrorCode::Corrupt, file.string() + ": no exports=\"...\" string");
    auto bytes = base64_decode(std::string_view(*text).substr(begin + 9, end - begin - 9));
    if (!bytes) return make_error(ErrorCode::Corrupt, file.string() + ": " + bytes.message());
    return bytes;
}

Result<std::map<std::string, torch::Tensor>> read_weights(const fs::path& model_dir,
                                                          const std::function<bool(const std::string&)>& keep) {
    const fs::path model_js = model_dir / "model.min.js";
    auto js = read_file(model_js);
    if (!js) return js.error();
    auto manifest = parse_manifest(*js, model_js);
    if (!manifest) return manifest.error();

    std::vector<std::uint8_t> blob;
    for (const auto& stem : manifest->paths) {
        auto shard = read_shard(model_dir / (stem + ".min.js"));
        if (!shard) return shard.error();
        blob.insert(blob.end(), shard->begin(), shard->end());
    }
    std::map<std::string, torch::Tensor> out;
    std::size_t offset = 0;
    for (const auto& e : manifest->weights) {
        std::int64_t n = 1;
        for (auto d : e.shape) n *= d;
        if (offset + static_cast<std::size_t>(n) > blob.size())
            return make_error(ErrorCode::Corrupt, model_dir.string() + ": the shards end inside tensor " + e.name +
                                                      " (" + std::to_string(blob.size()) + " bytes)");
        if (keep(e.name)) {
            // Dequantise in double, then round to float32, as tfjs-core's decodeWeights does.
            auto t = torch::empty(e.shape, torch::kFloat32);
            float* dst = t.data_ptr<float>();
            for (std::int64_t i = 0; i < n; ++i) dst[i] = static_cast<float>(blob[offset + i] * e.scale + e.min);
            out.emplace(e.name, std::move(t));
        }
        offset += static_cast<std::size_t>(n);
    }
    if (offset != blob.size())
        return make_error(ErrorCode::Corrupt, model_dir.string() + ": the manifest covers " + std::to_string(offset) +
                                                  " bytes but the shards hold " + std::to_string(blob.size()));
    return out;
}

}  // namespace

Result<std::map<std::string, torch::Tensor>> read_nsfwjs_weights(const fs::path& model_dir,
                                                                 const std::function<bool(const std::string&)>& keep) {
    // stoll/stod on the manifest's numbers and the allocations can throw: errors, not exceptions.
    return guarded(model_dir.string(), [&]() { return read_weights(model_dir, keep); });
}

}  // namespace shenbi
