#include "core/format/torch_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include <caffe2/serialize/inline_container.h>

#include "core/format/pickle.h"
#include "core/format/zip_directory.h"
#include "core/util/atomic_file.h"
#include "core/util/guard.h"
#include "core/util/hash.h"

namespace shenbi {
namespace fs = std::filesystem;
namespace {

using K = PickleValue::Kind;

struct StorageType {
    const char* name;  // torch.<name>, as pickled in the persistent id
    torch::ScalarType dtype;
};

constexpr StorageType kStorageTypes[] = {
    {"FloatStorage", torch::kFloat32},  {"HalfStorage", torch::kFloat16}, {"BFloat16Storage", torch::kBFloat16},
    {"DoubleStorage", torch::kFloat64}, {"LongStorage", torch::kInt64},   {"IntStorage", torch::kInt32},
    {"ShortStorage", torch::kInt16},    {"CharStorage", torch::kInt8},    {"ByteStorage", torch::kUInt8},
    {"BoolStorage", torch::kBool},
};

const char* storage_name(torch::ScalarType dtype) {
    for (const auto& s : kStorageTypes)
        if (s.dtype == dtype) return s.name;
    return nullptr;
}

// What kind of file this is, from its first bytes.
enum class FileKind { Zip, Legacy, Other };

Result<FileKind> sniff(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return make_error(ErrorCode::NotFound, path.string() + ": no such file");
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(ErrorCode::Io, path.string() + ": cannot open: " + std::strerror(errno));
    char head[4] = {};
    in.read(head, sizeof head);
    if (in.gcount() == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return FileKind::Zip;
    // The legacy format starts with a pickled magic number (protocol 2).
    if (in.gcount() >= 2 && static_cast<unsigned char>(head[0]) == 0x80 && head[1] >= 1 && head[1] <= 5)
        return FileKind::Legacy;
    return FileKind::Other;
}

using RecordCrcs = std::map<std::string, std::uint32_t>;

// The archive's CRC-32s by record name: PyTorch names members
// "<archive>/data/0" and is asked for "data/0".
Result<RecordCrcs> record_crcs(const fs::path& path) {
    auto members = zip_member_crcs(path);
    if (!members) return members.error();
    RecordCrcs out;
    for (const auto& [name, crc] : *members)
        if (const auto slash = name.find('/'); slash != std::string::npos) out.emplace(name.substr(slash + 1), crc);
    return out;
}

// A record whose bytes do not match the CRC-32 the archive records is damaged.
Status check_record(const RecordCrcs& crcs,
                    const std::string& record,
                    const void* data,
                    std::size_t n,
                    const std::string& file) {
    const auto it = crcs.find(record);
    if (it == crcs.end() || crc32(data, n) == it->second) return Status::success();
    return make_error(ErrorCode::Corrupt,
                      file + ": record " + record + " is damaged (its bytes do not match the archive's CRC-32)");
}

// The reason of an exception from LibTorch's zip reader in a user's terms:
// c10 puts the source file and line first ("[enforce fail at
// inline_container.cc:145] . PytorchStreamReader failed reading zip archive:
// failed finding central directory"); what is left is the reason ("reading
// zip archive: failed finding central directory").
std::string reader_reason(std::string message) {
    if (const auto eol = message.find('\n'); eol != std::string::npos) message.resize(eol);
    static const std::string kEnforce = "[enforce fail at ";
    if (message.rfind(kEnforce, 0) == 0) {
        // "[enforce fail at FILE:LINE] CONDITION. MESSAGE" (CAFFE_THROW: no condition)
        const auto close = message.find("] ");
        if (close != std::string::npos) message.erase(0, close + 2);
        if (const auto dot = message.find(". "); dot != std::string::npos) message.erase(0, dot + 2);
    }
    // "COND INTERNAL ASSERT FAILED at \"FILE\":LINE, please report a bug to PyTorch. MESSAGE"
    static const std::string kReport = "please report a bug to PyTorch.";
    if (message.find("INTERNAL ASSERT FAILED") != std::string::npos) {
        const auto report = message.find(kReport);
        message = report == std::string::npos ? std::string() : message.substr(report + kReport.size());
    }
    // TORCH_CHECK without a message appends a request for a better one.
    if (const auto plea = message.find("(Could this error message be improved?"); plea != std::string::npos)
        message.resize(plea);
    static const std::string kReader = "PytorchStreamReader failed ";
    if (message.rfind(kReader, 0) == 0) message.erase(0, kReader.size());
    const auto first = message.find_first_not_of(" .");
    const auto last = message.find_last_not_of(" .");
    if (first == std::string::npos) return "the zip reader gave no reason";
    return message.substr(first, last - first + 1);
}

// The exception being handled while `file` was read: a LibTorch failure means
// the archive is not a readable torch.save zip (ErrorCode::Corrupt); running
// out of memory or a system error keeps its own code.
Error reader_error(const std::string& file) {
    const Error e = current_exception_error("");
    const std::string reason = reader_reason(e.message);
    switch (e.code) {
        case ErrorCode::OutOfMemory:
            return make_error(e.code, file + ": out of memory while reading it (" + reason + ")");
        case ErrorCode::NotFound:
        case ErrorCode::PermissionDenied:
        case ErrorCode::Io:
            return make_error(e.code, file + ": " + reason);
        default:
            return make_error(ErrorCode::Corrupt, file + ": not a PyTorch zip checkpoint (or damaged): " + reason);
    }
}

// Turns the pickled object tree of one archive into tensors, loading each
// storage record once (views share it, as in Python).
class Rebuilder {
public:
    Rebuilder(caffe2::serialize::PyTorchStreamReader& reader, const RecordCrcs& crcs, std::string file)
        : reader_(reader), crcs_(crcs), file_(std::move(file)) {}

    bool is_tensor(const PickleValue& v) const {
        if (!v.is(K::Call) || !v.items[0]->is(K::Global)) return false;
        const auto& g = *v.items[0];
        return g.str == "torch._utils" && (g.name == "_rebuild_tensor_v2" || g.name == "_rebuild_tensor" ||
                                           g.name == "_rebuild_parameter" || g.name == "_rebuild_parameter_with_state");
    }

    Result<torch::Tensor> tensor(const PickleValue& v, const std::string& key) {
        if (!is_tensor(v)) return fail(key, "holds a " + v.describe() + ", not a tensor");
        const auto& name = v.items[0]->name;
        const auto& args = v.items[1]->items;
        if (name == "_rebuild_parameter" || name == "_rebuild_parameter_with_state") {
            // (data, requires_grad, backward_hooks[, state]): the data is the tensor.
            if (args.empty()) return fail(key, "parameter without data");
            return tensor(*args[0], key);
        }
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)
        if (args.size() < 4)
            return fail(key, "tensor record has " + std::to_string(args.size()) + " arguments, expected >= 4");
        auto storage = this->storage(*args[0], key);
        if (!storage) return storage.error();
        if (!args[1]->is(K::Int)) return fail(key, "storage offset is a " + args[1]->describe());
        auto size = int_list(*args[2], key, "size");
        if (!size) return size.error();
        auto stride = int_list(*args[3], key, "stride");
        if (!stride) return stride.error();
        const std::int64_t offset = args[1]->i;
        if (size->size() != stride->size()) return fail(key, "size and stride have different lengths");
        if (size->size() > 64) return fail(key, "more than 64 dimensions");
        // A corrupt size/stride must not make as_strided read outside the storage.
        __int128 last = offset;
        bool empty = false;
        for (std::size_t d = 0; d < size->size(); ++d) {
            // Bounds keep the sum below from overflowing 128 bits.
            if ((*size)[d] < 0 || (*stride)[d] < 0 || (*size)[d] > (1LL << 48) || (*stride)[d] > (1LL << 48)) {
                return fail(key, "size or stride out of range");
            }
            if ((*size)[d] == 0) empty = true;
            last += static_cast<__int128>((*size)[d] - 1) * (*stride)[d];
        }
        const std::int64_t numel = storage->numel();
        if (offset < 0 || (!empty && last >= numel)) {
            return fail(key, "view (offset " + std::to_string(offset) + ") reaches past its storage of " +
                                 std::to_string(numel) + " elements");
        }
        if (empty) return torch::empty(*size, storage->options());
        return storage->as_strided(*size, *stride, offset);
    }

private:
    Error fail(const std::string& key, const std::string& what) const {
        return make_error(ErrorCode::Corrupt, file_ + ": key '" + key + "': " + what);
    }

    Result<std::vector<std::int64_t>> int_list(const PickleValue& v, const std::string& key, const char* what) {
        if (!v.is(K::Tuple) && !v.is(K::List)) return fail(key, std::string(what) + " is a " + v.describe());
        std::vector<std::int64_t> out;
        for (const auto& item : v.items) {
            if (!item->is(K::Int)) return fail(key, std::string(what) + " holds a " + item->describe());
            out.push_back(item->i);
        }
        return out;
    }

    // ('storage', torch.<Type>Storage, key, location, numel)
    Result<torch::Tensor> storage(const PickleValue& pid, const std::string& key) {
        if (!pid.is(K::PersistentId) || !pid.items[0]->is(K::Tuple) || pid.items[0]->items.size() != 5) {
            return fail(key, "tensor storage is a " + pid.describe() + ", not a storage reference");
        }
        const auto& t = pid.items[0]->items;
        if (!t[0]->is(K::String) || t[0]->str != "storage" || !t[1]->is(K::Global) || !t[2]->is(K::String) ||
            !t[4]->is(K::Int)) {
            return fail(key, "malformed storage reference");
        }
        const auto dtype = storage_dtype(*t[1]);
        if (!dtype) {
            return make_error(ErrorCode::Unsupported,
                              file_ + ": key '" + key + "': unsupported storage type " + t[1]->str + "." + t[1]->name);
        }
        const std::string record = "data/" + t[2]->str;
        const auto cached = storages_.find(record);
        if (cached != storages_.end()) {
            if (cached->second.scalar_type() != *dtype)
                return fail(key, "record " + record + " is used with two dtypes");
            return cached->second;
        }
        const std::int64_t numel = t[4]->i;
        const std::int64_t elem = static_cast<std::int64_t>(c10::elementSize(*dtype));
        if (numel < 0) return fail(key, "negative storage size");
        const auto options = torch::TensorOptions().dtype(*dtype);
        torch::Tensor out;
        if (numel == 0) {
            out = torch::empty({0}, options);
        } else {
            if (!reader_.hasRecord(record)) return fail(key, "record " + record + " is missing");
            auto [data, nbytes] = reader_.getRecord(record);
            if (static_cast<std::int64_t>(nbytes) / elem != numel || static_cast<std::int64_t>(nbytes) % elem != 0) {
                return fail(key, "record " + record + " has " + std::to_string(nbytes) + " bytes, expected " +
                                     std::to_string(numel * elem));
            }
            SHENBI_TRY_STATUS(check_record(crcs_, record, data.get(), nbytes, file_));
            // The tensor adopts the record's buffer: no copy of the weights.
            auto owner = std::make_shared<at::DataPtr>(std::move(data));
            void* ptr = owner->get();
            out = torch::from_blob(
                ptr, {numel}, [owner](void*) mutable { owner.reset(); }, options);
        }
        storages_.emplace(record, out);
        return out;
    }

    static std::optional<torch::ScalarType> storage_dtype(const PickleValue& g) {
        if (g.str != "torch") return std::nullopt;
        for (const auto& s : kStorageTypes)
            if (g.name == s.name) return s.dtype;
        return std::nullopt;
    }

    caffe2::serialize::PyTorchStreamReader& reader_;
    const RecordCrcs& crcs_;
    std::string file_;
    std::map<std::string, torch::Tensor> storages_;
};

// Opens the archive and parses data.pkl; `use` interprets the object tree.
template <class T>
Result<T> with_archive(const fs::path& path, const std::function<Result<T>(Rebuilder&, const PickleValue&)>& use) {
    const std::string file = path.string();
    auto kind = sniff(path);
    if (!kind) return kind.error();
    if (*kind == FileKind::Legacy) {
        return make_error(ErrorCode::Unsupported,
                          file +
                              ": legacy (pre-1.6) PyTorch format is not supported; re-save it in Python with "
                              "torch.save(torch.load(f), f2) using PyTorch >= 1.6");
    }
    if (*kind == FileKind::Other)
        return make_error(ErrorCode::Corrupt, file + ": not a PyTorch checkpoint (no zip signature)");
    auto crcs = record_crcs(path);
    if (!crcs) return crcs.error();
    try {
        caffe2::serialize::PyTorchStreamReader reader(file);
        if (!reader.hasRecord("data.pkl")) {
            return make_error(ErrorCode::Corrupt,
                              file + ": archive has no data.pkl (a TorchScript module or not a torch.save file?)");
        }
        auto [data, nbytes] = reader.getRecord("data.pkl");
        SHENBI_TRY_STATUS(check_record(*crcs, "data.pkl", data.get(), nbytes, file));
        auto root = read_pickle(std::string_view(static_cast<const char*>(data.get()), nbytes), file + ": data.pkl");
        if (!root) return root.error();
        Rebuilder rebuilder(reader, *crcs, file);
        return use(rebuilder, **root);
    } catch (...) {
        return reader_error(file);
    }
}

}  // namespace

Result<StateDict> read_state_dict(const fs::path& path) {
    const std::string file = path.string();
    return with_archive<StateDict>(path, [&](Rebuilder& rb, const PickleValue& root) -> Result<StateDict> {
        const PickleValue* dict = &root;
        // Training checkpoints (Lightning, taming) wrap the weights: {"state_dict": {...}, ...}.
        if (dict->is(K::Dict)) {
            for (const auto& [k, v] : dict->entries) {
                if (k->is(K::String) && k->str == "state_dict" && v->is(K::Dict)) dict = v.get();
            }
        }
        if (!dict->is(K::Dict))
            return make_error(ErrorCode::Corrupt, file + ": holds a " + root.describe() + ", not a state dict");
        StateDict out;
        out.reserve(dict->entries.size());
        std::set<std::string> seen;
        for (const auto& [k, v] : dict->entries) {
            if (!k->is(K::String))
                return make_error(ErrorCode::Corrupt, file + ": state dict key is a " + k->describe());
            if (!seen.insert(k->str).second)
                return make_error(ErrorCode::Corrupt, file + ": duplicate key '" + k->str + "'");
            auto t = rb.tensor(*v, k->str);
            if (!t) return t.error();
            out.emplace_back(k->str, std::move(*t));
        }
        return out;
    });
}

Result<torch::Tensor> read_tensor_file(const fs::path& path) {
    const std::string file = path.string();
    return with_archive<torch::Tensor>(path, [&](Rebuilder& rb, const PickleValue& root) -> Result<torch::Tensor> {
        torch::Tensor t;
        if (rb.is_tensor(root)) {
            auto r = rb.tensor(root, "<root>");
            if (!r) return r.error();
            t = *r;
        } else if (root.is(K::Dict)) {
            std::vector<std::pair<std::string, const PickleValue*>> tensors;
            for (const auto& [k, v] : root.entries)
                if (k->is(K::String) && rb.is_tensor(*v)) tensors.emplace_back(k->str, v.get());
            const std::pair<std::string, const PickleValue*>* pick = nullptr;
            if (tensors.size() == 1) pick = &tensors[0];
            for (const auto& e : tensors)
                if (!pick && e.first.find("ent") != std::string::npos) pick = &e;
            if (!pick) {
                std::string keys;
                for (const auto& e : tensors) keys += (keys.empty() ? "" : ", ") + e.first;
                return make_error(ErrorCode::Corrupt,
                                  file + ": expected one tensor, found a dict with tensors [" + keys + "]");
            }
            auto r = rb.tensor(*pick->second, pick->first);
            if (!r) return r.error();
            t = *r;
        } else if ((root.is(K::List) || root.is(K::Tuple)) && !root.items.empty()) {
            const std::size_t rows = root.items.size();
            std::size_t cols = 0;
            std::vector<float> values;
            for (std::size_t r = 0; r < rows; ++r) {
                const auto& row = *root.items[r];
                if (!row.is(K::List) && !row.is(K::Tuple)) {
                    return make_error(ErrorCode::Corrupt,
                                      file + ": row " + std::to_string(r) + " is a " + row.describe());
                }
                if (r == 0) cols = row.items.size();
                if (row.items.size() != cols) {
                    return make_error(ErrorCode::Corrupt, file + ": row " + std::to_string(r) + " has " +
                                                              std::to_string(row.items.size()) + " values, row 0 has " +
                                                              std::to_string(cols));
                }
                for (const auto& x : row.items) {
                    if (x->is(K::Float))
                        values.push_back(static_cast<float>(x->f));
                    else if (x->is(K::Int))
                        values.push_back(static_cast<float>(x->i));
                    else
                        return make_error(ErrorCode::Corrupt,
                                          file + ": row " + std::to_string(r) + " holds a " + x->describe());
                }
            }
            t = torch::from_blob(values.data(), {static_cast<std::int64_t>(rows), static_cast<std::int64_t>(cols)},
                                 torch::kFloat32)
                    .clone();
        } else {
            return make_error(ErrorCode::Corrupt, file + ": holds a " + root.describe() + ", not a tensor");
        }
        if (t.dim() != 2)
            return make_error(ErrorCode::Corrupt,
                              file + ": expected a 2-D table, got " + std::to_string(t.dim()) + " dimensions");
        return t.to(torch::kFloat32).contiguous();
    });
}

Status write_state_dict(const fs::path& path, const StateDict& state) {
    const std::string file = path.string();
    // One record per distinct storage, numbered in first-use order like torch.save.
    struct Record {
        std::string name;
        torch::Tensor owner;  // keeps the storage alive while writing
        const void* data;
        std::size_t nbytes;
    };
    std::vector<Record> records;
    std::map<std::pair<const void*, torch::ScalarType>, std::string> record_of;
    auto root = PickleValue::dict(true);
    std::set<std::string> seen;
    Status built = guarded(file, [&]() -> Status {
        for (const auto& [key, tensor] : state) {
            if (!seen.insert(key).second)
                return make_error(ErrorCode::InvalidArgument, file + ": duplicate key '" + key + "'");
            if (!tensor.defined())
                return make_error(ErrorCode::InvalidArgument, file + ": key '" + key + "' holds no tensor");
            if (tensor.layout() != torch::kStrided || tensor.is_quantized()) {
                return make_error(ErrorCode::Unsupported,
                                  file + ": key '" + key + "': only dense tensors can be written");
            }
            const char* type = storage_name(tensor.scalar_type());
            if (!type) {
                return make_error(ErrorCode::Unsupported, file + ": key '" + key + "': dtype " +
                                                              std::string(c10::toString(tensor.scalar_type())) +
                                                              " is not supported");
            }
            const torch::Tensor t = tensor.device().is_cpu() ? tensor.detach() : tensor.detach().cpu();
            const auto& storage = t.storage();
            const std::size_t elem = t.element_size();
            const std::size_t storage_numel = storage.nbytes() / elem;
            const std::pair<const void*, torch::ScalarType> id{storage.unsafeGetStorageImpl(), t.scalar_type()};
            auto it = record_of.find(id);
            if (it == record_of.end()) {
                const std::string name = std::to_string(records.size());
                records.push_back({name, t, storage.data(), storage_numel * elem});
                it = record_of.emplace(id, name).first;
            }
            std::vector<PicklePtr> size, stride;
            for (auto s : t.sizes()) size.push_back(PickleValue::integer(s));
            for (auto s : t.strides()) stride.push_back(PickleValue::integer(s));
            auto pid = PickleValue::persistent_id(PickleValue::tuple(
                {PickleValue::string("storage"), PickleValue::global("torch", type), PickleValue::string(it->second),
                 PickleValue::string("cpu"), PickleValue::integer(static_cast<std::int64_t>(storage_numel))}));
            auto args =
                PickleValue::tuple({pid, PickleValue::integer(t.storage_offset()), PickleValue::tuple(size),
                                    PickleValue::tuple(stride), PickleValue::boolean(false), PickleValue::dict(true)});
            root->entries.emplace_back(
                PickleValue::string(key),
                PickleValue::call(PickleValue::global("torch._utils", "_rebuild_tensor_v2"), args));
        }
        return Status::success();
    });
    SHENBI_TRY_STATUS(built);
    auto pickle = write_pickle(*root);
    if (!pickle) return pickle.error();
    return write_file_atomic(path, [&](std::ostream& out) -> Status {
        return guarded(file, [&]() -> Status {
            // The writer is never told of a short write: it would throw, and
            // throw again from its destructor (std::terminate: a full disk
            // aborted the process). The stream's state says it afterwards, and
            // write_file_atomic removes the temp file and names the error.
            caffe2::serialize::PyTorchStreamWriter writer([&out](const void* buf, std::size_t n) -> std::size_t {
                if (out) out.write(static_cast<const char*>(buf), static_cast<std::streamsize>(n));
                return n;
            });
            writer.writeRecord("data.pkl", pickle->data(), pickle->size());
            for (const auto& r : records) writer.writeRecord("data/" + r.name, r.data, r.nbytes);
            writer.writeEndOfFile();
            return Status::success();
        });
    });
}

}  // namespace shenbi
