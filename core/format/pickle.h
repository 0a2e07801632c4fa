// A reader and a writer for the subset of Python's pickle format that
// `torch.save` produces (protocol 2, plus the few protocol-4 opcodes other
// writers use). LibTorch's own unpickler rejects OrderedDict state dicts
// (tried with Debian's LibTorch), hence this small one.
//
// The reader never executes anything: GLOBAL yields a PickleValue naming
// the class, REDUCE yields a Call node (callable + argument tuple) that the
// caller interprets (core/format/torch_file.cpp turns `_rebuild_tensor_v2` calls
// into tensors). The one exception is `collections.OrderedDict()`, which
// becomes a Dict node at once, because SETITEM(S) must be able to fill it.
// BINPERSID wraps its id in a PersistentId node.
//
// Values are shared (memo references alias), immutable after parsing.
// Thread-safety: free functions, no shared state.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/util/result.h"

namespace shenbi {

struct PickleValue;
using PicklePtr = std::shared_ptr<PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, String, Bytes, Tuple, List, Dict, Global, Call, PersistentId };

    Kind kind = Kind::None;
    bool b = false;
    std::int64_t i = 0;
    double f = 0.0;
    std::string str;                                       // String, Bytes; Global: module
    std::string name;                                      // Global: attribute name
    std::vector<PicklePtr> items;                          // Tuple, List; Call: {callable, args}; PersistentId: {id}
    std::vector<std::pair<PicklePtr, PicklePtr>> entries;  // Dict, in insertion order
    bool ordered = false;                                  // Dict: collections.OrderedDict rather than dict
    PicklePtr state;  // BUILD argument (e.g. an OrderedDict's _metadata), may be null

    static PicklePtr none();
    static PicklePtr boolean(bool v);
    static PicklePtr integer(std::int64_t v);
    static PicklePtr real(double v);
    static PicklePtr string(std::string v);
    static PicklePtr tuple(std::vector<PicklePtr> items);
    static PicklePtr list(std::vector<PicklePtr> items);
    static PicklePtr dict(bool ordered = false);
    static PicklePtr global(std::string module, std::string name);
    static PicklePtr call(PicklePtr callable, PicklePtr args);
    static PicklePtr persistent_id(PicklePtr id);

    bool is(Kind k) const { return kind == k; }
    bool is_global(std::string_view module, std::string_view attr) const {
        return kind == Kind::Global && str == module && name == attr;
    }
    // Short description for error messages: "int", "tuple of 3", "global torch.FloatStorage", ...
    std::string describe() const;
};

// Parses one pickle (up to STOP). Errors name the opcode and byte offset;
// `what` (e.g. "model.bin: data.pkl") prefixes them.
Result<PicklePtr> read_pickle(std::string_view bytes, const std::string& what = "pickle");

// Serialises a value tree with protocol 2 opcodes that Python's pickle
// reads: Dict (ordered or not), Tuple, List, String, Int, Float, Bool, None,
// Global, Call (REDUCE, plus BUILD when `state` is set) and PersistentId
// (BINPERSID). Bytes values are refused (torch.save never needs them).
Result<std::string> write_pickle(const PickleValue& value);

}  // namespace shenbi
