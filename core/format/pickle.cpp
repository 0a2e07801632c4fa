#include "core/format/pickle.h"

#include <cstring>
#include <limits>
#include <memory>
#include <unordered_map>
#include <unordered_set>

namespace shenbi {

namespace {

// A value of `kind` with one field set by `fill`.
template <class Fill>
PicklePtr make(PickleValue::Kind kind, Fill&& fill) {
    auto p = std::make_shared<PickleValue>();
    p->kind = kind;
    fill(*p);
    return p;
}

}  // namespace

PicklePtr PickleValue::none() {
    return std::make_shared<PickleValue>();
}
PicklePtr PickleValue::boolean(bool v) {
    return make(Kind::Bool, [&](PickleValue& p) { p.b = v; });
}
PicklePtr PickleValue::integer(std::int64_t v) {
    return make(Kind::Int, [&](PickleValue& p) { p.i = v; });
}
PicklePtr PickleValue::real(double v) {
    return make(Kind::Float, [&](PickleValue& p) { p.f = v; });
}
PicklePtr PickleValue::string(std::string v) {
    return make(Kind::String, [&](PickleValue& p) { p.str = std::move(v); });
}
PicklePtr PickleValue::tuple(std::vector<PicklePtr> items) {
    return make(Kind::Tuple, [&](PickleValue& p) { p.items = std::move(items); });
}
PicklePtr PickleValue::list(std::vector<PicklePtr> items) {
    return make(Kind::List, [&](PickleValue& p) { p.items = std::move(items); });
}
PicklePtr PickleValue::dict(bool ordered) {
    return make(Kind::Dict, [&](PickleValue& p) { p.ordered = ordered; });
}
PicklePtr PickleValue::global(std::string module, std::string name) {
    return make(Kind::Global, [&](PickleValue& p) {
        p.str = std::move(module);
        p.name = std::move(name);
    });
}
PicklePtr PickleValue::call(PicklePtr callable, PicklePtr args) {
    return make(Kind::Call, [&](PickleValue& p) { p.items = {std::move(callable), std::move(args)}; });
}
PicklePtr PickleValue::persistent_id(PicklePtr id) {
    return make(Kind::PersistentId, [&](PickleValue& p) { p.items = {std::move(id)}; });
}

std::string PickleValue::describe() const {
    switch (kind) {
        case Kind::None:
            return "None";
        case Kind::Bool:
            return "bool";
        case Kind::Int:
            return "int";
        case Kind::Float:
            return "float";
        case Kind::String:
            return "str";
        case Kind::Bytes:
            return "bytes";
        case Kind::Tuple:
            return "tuple of " + std::to_string(items.size());
        case Kind::List:
            return "list of " + std::to_string(items.size());
        case Kind::Dict:
            return std::string(ordered ? "OrderedDict" : "dict") + " of " + std::to_string(entries.size());
        case Kind::Global:
            return "global " + str + "." + name;
        case Kind::Call:
            return "call of " + (items[0] ? items[0]->describe() : std::string("?"));
        case Kind::PersistentId:
            return "persistent id";
    }
    return "?";
}

namespace {

// Opcodes (Python's Lib/pickle.py names).
enum Op : unsigned char {
    MARK = '(',
    STOP = '.',
    POP = '0',
    POP_MARK = '1',
    DUP = '2',
    BINFLOAT = 'G',
    BININT = 'J',
    BININT1 = 'K',
    BININT2 = 'M',
    NONE = 'N',
    BINPERSID = 'Q',
    REDUCE = 'R',
    BINSTRING = 'T',
    SHORT_BINSTRING = 'U',
    BINUNICODE = 'X',
    APPEND = 'a',
    BUILD = 'b',
    GLOBAL = 'c',
    DICT = 'd',
    EMPTY_DICT = '}',
    APPENDS = 'e',
    BINGET = 'h',
    LONG_BINGET = 'j',
    LIST = 'l',
    EMPTY_LIST = ']',
    BINPUT = 'q',
    LONG_BINPUT = 'r',
    SETITEM = 's',
    TUPLE = 't',
    EMPTY_TUPLE = ')',
    SETITEMS = 'u',
    BINBYTES = 'B',
    SHORT_BINBYTES = 'C',
    PROTO = 0x80,
    NEWTRUE = 0x88,
    NEWFALSE = 0x89,
    LONG1 = 0x8a,
    TUPLE1 = 0x85,
    TUPLE2 = 0x86,
    TUPLE3 = 0x87,
    SHORT_BINUNICODE = 0x8c,
    BINUNICODE8 = 0x8d,
    STACK_GLOBAL = 0x93,
    MEMOIZE = 0x94,
    FRAME = 0x95,
};

// A parse failure travels as this exception inside the reader only; the
// public function turns it into an Error.
struct ParseError {
    std::string message;
};

class Reader {
public:
    Reader(std::string_view bytes) : in_(bytes) {}

    PicklePtr run() {
        while (true) {
            op_pos_ = pos_;
            const unsigned char op = u8();
            switch (op) {
                case PROTO:
                    u8();
                    break;
                case FRAME:
                    take(8);
                    break;
                case STOP: {
                    if (stack_.size() != 1 || !marks_.empty())
                        fail("STOP with " + std::to_string(stack_.size()) + " values on the stack");
                    return stack_.back();
                }
                case MARK:
                    marks_.push_back(stack_.size());
                    break;
                case POP:
                    pop();
                    break;
                case POP_MARK:
                    pop_mark();
                    break;
                case DUP:
                    push(top());
                    break;
                case NONE:
                    push(PickleValue::none());
                    break;
                case NEWTRUE:
                    push(PickleValue::boolean(true));
                    break;
                case NEWFALSE:
                    push(PickleValue::boolean(false));
                    break;
                case BININT:
                    push(PickleValue::integer(static_cast<std::int32_t>(le(4))));
                    break;
                case BININT1:
                    push(PickleValue::integer(u8()));
                    break;
                case BININT2:
                    push(PickleValue::integer(static_cast<std::int64_t>(le(2))));
                    break;
                case LONG1:
                    push(PickleValue::integer(long_bytes(u8())));
                    break;
                case BINFLOAT: {
                    const std::uint64_t bits = be(8);
                    double d = 0;
                    std::memcpy(&d, &bits, sizeof d);
                    push(PickleValue::real(d));
                    break;
                }
                case SHORT_BINUNICODE:
                case SHORT_BINSTRING:
                    push(PickleValue::string(std::string(take(u8()))));
                    break;
                case BINUNICODE:
                case BINSTRING:
                    push(PickleValue::string(std::string(take(le(4)))));
                    break;
                case BINUNICODE8:
                    push(PickleValue::string(std::string(take(le(8)))));
                    break;
                case SHORT_BINBYTES:
                case BINBYTES: {
                    auto v = PickleValue::string(std::string(take(op == SHORT_BINBYTES ? u8() : le(4))));
                    v->kind = PickleValue::Kind::Bytes;
                    push(v);
                    break;
                }
                case EMPTY_TUPLE:
                    push(PickleValue::tuple({}));
                    break;
                case TUPLE1:
                case TUPLE2:
                case TUPLE3: {
                    const std::size_t n = op - TUPLE1 + 1;
                    if (stack_.size() < n + floor()) fail("tuple of " + std::to_string(n) + " on a shorter stack");
                    std::vector<PicklePtr> items(stack_.end() - static_cast<std::ptrdiff_t>(n), stack_.end());
                    stack_.resize(stack_.size() - n);
                    push(PickleValue::tuple(std::move(items)));
                    break;
                }
                case TUPLE:
                    push(PickleValue::tuple(pop_mark()));
                    break;
                case EMPTY_LIST:
                    push(PickleValue::list({}));
                    break;
                case LIST:
                    push(PickleValue::list(pop_mark()));
                    break;
                case EMPTY_DICT:
                    push(PickleValue::dict(false));
                    break;
                case DICT: {
                    auto d = PickleValue::dict(false);
                    set_items(*d, pop_mark());
                    push(d);
                    break;
                }
                case APPEND: {
                    auto v = pop();
                    append(top(), {v});
                    break;
                }
                case APPENDS: {
                    auto items = pop_mark();
                    append(top(), std::move(items));
                    break;
                }
                case SETITEM: {
                    auto v = pop();
                    auto k = pop();
                    set_items(dict_at_top(), {k, v});
                    break;
                }
                case SETITEMS: {
                    auto kv = pop_mark();
                    set_items(dict_at_top(), std::move(kv));
                    break;
                }
                case GLOBAL: {
                    std::string module = line();
                    std::string name = line();
                    push(PickleValue::global(std::move(module), std::move(name)));
                    break;
                }
                case STACK_GLOBAL: {
                    auto name = pop();
                    auto module = pop();
                    if (!module->is(PickleValue::Kind::String) || !name->is(PickleValue::Kind::String))
                        fail("STACK_GLOBAL needs two strings");
                    push(PickleValue::global(module->str, name->str));
                    break;
                }
                case REDUCE: {
                    auto args = pop();
                    auto callable = pop();
                    if (!args->is(PickleValue::Kind::Tuple))
                        fail("REDUCE arguments are a " + args->describe() + ", not a tuple");
                    // An OrderedDict must exist as a dict now: SETITEMS fills it next.
                    if (callable->is_global("collections", "OrderedDict") && args->items.empty()) {
                        push(PickleValue::dict(true));
                    } else {
                        push(PickleValue::call(std::move(callable), std::move(args)));
                    }
                    break;
                }
                case BUILD: {
                    auto state = pop();
                    top()->state = std::move(state);
                    break;
                }
                case BINPERSID:
                    push(PickleValue::persistent_id(pop()));
                    break;
                case BINPUT:
                    memo_[static_cast<std::uint32_t>(u8())] = top();
                    break;
                case LONG_BINPUT:
                    memo_[static_cast<std::uint32_t>(le(4))] = top();
                    break;
                case MEMOIZE:
                    memo_[static_cast<std::uint32_t>(memo_.size())] = top();
                    break;
                case BINGET:
                    push(memo_get(u8()));
                    break;
                case LONG_BINGET:
                    push(memo_get(le(4)));
                    break;
                default: {
                    char hex[8];
                    std::snprintf(hex, sizeof hex, "0x%02x", op);
                    fail(std::string("unsupported opcode ") + hex);
                }
            }
        }
    }

    std::size_t op_pos() const { return op_pos_; }

private:
    [[noreturn]] void fail(const std::string& what) const {
        throw ParseError{what + " at byte " + std::to_string(op_pos_)};
    }

    std::string_view take(std::uint64_t n) {
        if (n > in_.size() - pos_) fail("truncated (needs " + std::to_string(n) + " more bytes)");
        auto s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    unsigned char u8() { return static_cast<unsigned char>(take(1)[0]); }
    std::uint64_t le(int n) {
        const auto s = take(static_cast<std::uint64_t>(n));
        std::uint64_t v = 0;
        for (int k = n - 1; k >= 0; --k) v = (v << 8) | static_cast<unsigned char>(s[k]);
        return v;
    }
    std::uint64_t be(int n) {
        const auto s = take(static_cast<std::uint64_t>(n));
        std::uint64_t v = 0;
        for (int k = 0; k < n; ++k) v = (v << 8) | static_cast<unsigned char>(s[k]);
        return v;
    }
    // LONG1: little-endian two's complement of n bytes.
    std::int64_t long_bytes(unsigned n) {
        if (n == 0) return 0;
        if (n > 8) fail("integer of " + std::to_string(n) + " bytes does not fit 64 bits");
        std::uint64_t v = le(static_cast<int>(n));
        if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~std::uint64_t{0} << (8 * n);
        return static_cast<std::int64_t>(v);
    }
    std::string line() {
        const auto end = in_.find('\n', pos_);
        if (end == std::string_view::npos) fail("unterminated GLOBAL name");
        std::string s(in_.substr(pos_, end - pos_));
        pos_ = end + 1;
        return s;
    }

    std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(PicklePtr v) {
        // Far above anything torch.save writes; stops hostile input from eating memory.
        if (stack_.size() > 10'000'000) fail("stack overflow");
        created_.push_back(v);
        stack_.push_back(std::move(v));
    }
    PicklePtr pop() {
        if (stack_.size() <= floor()) fail("pop from an empty stack");
        auto v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    const PicklePtr& top() const {
        if (stack_.size() <= floor()) fail("empty stack");
        return stack_.back();
    }
    std::vector<PicklePtr> pop_mark() {
        if (marks_.empty()) fail("no MARK");
        const std::size_t m = marks_.back();
        marks_.pop_back();
        std::vector<PicklePtr> items(stack_.begin() + static_cast<std::ptrdiff_t>(m), stack_.end());
        stack_.resize(m);
        return items;
    }
    PickleValue& dict_at_top() {
        const auto& d = top();
        if (!d->is(PickleValue::Kind::Dict)) fail("SETITEM on a " + d->describe());
        return *d;
    }
    void set_items(PickleValue& d, std::vector<PicklePtr> kv) {
        if (kv.size() % 2 != 0) fail("odd number of dict items");
        for (std::size_t k = 0; k < kv.size(); k += 2) d.entries.emplace_back(std::move(kv[k]), std::move(kv[k + 1]));
    }
    void append(const PicklePtr& list, std::vector<PicklePtr> items) {
        if (!list->is(PickleValue::Kind::List)) fail("APPEND on a " + list->describe());
        for (auto& v : items) list->items.push_back(std::move(v));
    }
    PicklePtr memo_get(std::uint64_t id) const {
        const auto it = memo_.find(static_cast<std::uint32_t>(id));
        if (it == memo_.end()) fail("memo entry " + std::to_string(id) + " was never stored");
        return it->second;
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    std::size_t op_pos_ = 0;
    std::vector<PicklePtr> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<std::uint32_t, PicklePtr> memo_;
    std::vector<std::weak_ptr<PickleValue>> created_;  // every value built (each passes through push)

public:
    // What torch.save never writes and a reader must not hand on: memo
    // references let APPEND, SETITEM and BUILD put a value inside itself (a
    // cycle of shared pointers, never freed, and endless recursion for any
    // walker), and nesting deep enough to overflow a recursive walker or
    // destructor. One iterative pass over what `root` reaches; fails with
    // the reason. Returns the values reached.
    std::unordered_set<const PickleValue*> check_tree(const PicklePtr& root) const {
        std::unordered_set<const PickleValue*> done, open;
        struct Frame {
            const PickleValue* v;
            std::vector<const PickleValue*> children;
            std::size_t next = 0;
        };
        auto children_of = [](const PickleValue& v) {
            std::vector<const PickleValue*> c;
            for (const auto& i : v.items)
                if (i) c.push_back(i.get());
            for (const auto& [k, val] : v.entries) {
                if (k) c.push_back(k.get());
                if (val) c.push_back(val.get());
            }
            if (v.state) c.push_back(v.state.get());
            return c;
        };
        std::vector<Frame> path;
        path.push_back({root.get(), children_of(*root)});
        open.insert(root.get());
        while (!path.empty()) {
            Frame& f = path.back();
            if (f.next == f.children.size()) {
                open.erase(f.v);
                done.insert(f.v);
                path.pop_back();
                continue;
            }
            const PickleValue* c = f.children[f.next++];
            if (open.count(c)) fail("a value contains itself (a cycle; torch.save never writes one)");
            if (done.count(c)) continue;
            if (path.size() >= kMaxDepth) fail("values nested deeper than " + std::to_string(kMaxDepth));
            open.insert(c);
            path.push_back({c, children_of(*c)});
        }
        return done;
    }

    // Frees every value built except those `keep` names, without recursion:
    // their children are moved out first, so that neither a cycle (which
    // would leak) nor a deep chain (whose destructors would recurse) is left.
    void dismantle(const std::unordered_set<const PickleValue*>& keep = {}) {
        stack_.clear();
        memo_.clear();
        std::vector<PicklePtr> hold;
        for (const auto& weak : created_) {
            auto v = weak.lock();
            if (!v || keep.count(v.get())) continue;
            for (auto& i : v->items) hold.push_back(std::move(i));
            for (auto& [k, val] : v->entries) {
                hold.push_back(std::move(k));
                hold.push_back(std::move(val));
            }
            if (v->state) hold.push_back(std::move(v->state));
            v->items.clear();
            v->entries.clear();
        }
        created_.clear();
    }  // `hold` goes here: values without children, freed one by one

    // Deeper than the writer goes (1000) is never needed by a state dict.
    static constexpr std::size_t kMaxDepth = 1000;
};

class Writer {
public:
    Status write(const PickleValue& v, int depth = 0) {
        if (depth > 1000) return make_error(ErrorCode::InvalidArgument, "pickle writer: value nested too deeply");
        using K = PickleValue::Kind;
        switch (v.kind) {
            case K::None:
                op(NONE);
                break;
            case K::Bool:
                op(v.b ? NEWTRUE : NEWFALSE);
                break;
            case K::Int:
                write_int(v.i);
                break;
            case K::Float: {
                op(BINFLOAT);
                std::uint64_t bits = 0;
                std::memcpy(&bits, &v.f, sizeof bits);
                for (int k = 7; k >= 0; --k) out_.push_back(static_cast<char>((bits >> (8 * k)) & 0xff));
                break;
            }
            case K::String:
                op(BINUNICODE);
                le(v.str.size(), 4);
                out_ += v.str;
                break;
            case K::Bytes:
                return make_error(ErrorCode::Unsupported, "pickle writer: bytes values are not supported");
            case K::Tuple:
                if (v.items.empty()) {
                    op(EMPTY_TUPLE);
                    break;
                }
                if (v.items.size() > 3) op(MARK);
                for (const auto& item : v.items) SHENBI_TRY_STATUS(write(*item, depth + 1));
                op(v.items.size() > 3 ? TUPLE : static_cast<Op>(TUPLE1 + v.items.size() - 1));
                break;
            case K::List:
                op(EMPTY_LIST);
                if (!v.items.empty()) {
                    op(MARK);
                    for (const auto& item : v.items) SHENBI_TRY_STATUS(write(*item, depth + 1));
                    op(APPENDS);
                }
                break;
            case K::Dict:
                if (v.ordered) {
                    global("collections", "OrderedDict");
                    op(EMPTY_TUPLE);
                    op(REDUCE);
                } else {
                    op(EMPTY_DICT);
                }
                // Python batches SETITEMS by 1000; any size is valid, batching keeps
                // the unpickler's stack small.
                for (std::size_t k = 0; k < v.entries.size(); k += 1000) {
                    op(MARK);
                    for (std::size_t e = k; e < std::min(v.entries.size(), k + 1000); ++e) {
                        SHENBI_TRY_STATUS(write(*v.entries[e].first, depth + 1));
                        SHENBI_TRY_STATUS(write(*v.entries[e].second, depth + 1));
                    }
                    op(SETITEMS);
                }
                if (v.state) {
                    SHENBI_TRY_STATUS(write(*v.state, depth + 1));
                    op(BUILD);
                }
                break;
            case K::Global:
                global(v.str, v.name);
                break;
            case K::Call:
                if (v.items.size() != 2 || !v.items[0] || !v.items[1] || !v.items[1]->is(K::Tuple)) {
                    return make_error(ErrorCode::InvalidArgument,
                                      "pickle writer: a call needs a callable and an argument tuple");
                }
                SHENBI_TRY_STATUS(write(*v.items[0], depth + 1));
                SHENBI_TRY_STATUS(write(*v.items[1], depth + 1));
                op(REDUCE);
                if (v.state) {
                    SHENBI_TRY_STATUS(write(*v.state, depth + 1));
                    op(BUILD);
                }
                break;
            case K::PersistentId:
                if (v.items.size() != 1 || !v.items[0]) {
                    return make_error(ErrorCode::InvalidArgument, "pickle writer: persistent id without a value");
                }
                SHENBI_TRY_STATUS(write(*v.items[0], depth + 1));
                op(BINPERSID);
                break;
        }
        return Status::success();
    }

    std::string finish() {
        std::string s;
        s.push_back(static_cast<char>(PROTO));
        s.push_back(2);
        s += out_;
        s.push_back(static_cast<char>(STOP));
        return s;
    }

private:
    void op(unsigned char c) { out_.push_back(static_cast<char>(c)); }
    void le(std::uint64_t v, int n) {
        for (int k = 0; k < n; ++k) out_.push_back(static_cast<char>((v >> (8 * k)) & 0xff));
    }
    void write_int(std::int64_t v) {
        if (v >= 0 && v < 256) {
            op(BININT1);
            le(static_cast<std::uint64_t>(v), 1);
        } else if (v >= 0 && v < 65536) {
            op(BININT2);
            le(static_cast<std::uint64_t>(v), 2);
        } else if (v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max()) {
            op(BININT);
            le(static_cast<std::uint32_t>(static_cast<std::int32_t>(v)), 4);
        } else {
            op(LONG1);
            le(8, 1);
            le(static_cast<std::uint64_t>(v), 8);
        }
    }
    // Globals repeat once per tensor (`_rebuild_tensor_v2`, `FloatStorage`):
    // memoised after the first use, as Python's pickler does.
    void global(const std::string& module, const std::string& name) {
        const std::string key = module + "\n" + name + "\n";
        const auto it = memo_.find(key);
        if (it != memo_.end()) {
            op(LONG_BINGET);
            le(it->second, 4);
            return;
        }
        op(GLOBAL);
        out_ += key;
        const auto id = static_cast<std::uint32_t>(memo_.size());
        memo_.emplace(key, id);
        op(LONG_BINPUT);
        le(id, 4);
    }

    std::string out_;
    std::unordered_map<std::string, std::uint32_t> memo_;
};

}  // namespace

Result<PicklePtr> read_pickle(std::string_view bytes, const std::string& what) {
    Reader reader(bytes);
    try {
        PicklePtr root = reader.run();
        reader.dismantle(reader.check_tree(root));  // what the value does not hold
        return root;
    } catch (const ParseError& e) {
        reader.dismantle();
        return make_error(ErrorCode::Corrupt, what + ": invalid pickle: " + e.message);
    } catch (const std::bad_alloc&) {
        reader.dismantle();
        return make_error(ErrorCode::Corrupt,
                          what + ": invalid pickle: out of memory at byte " + std::to_string(reader.op_pos()));
    }
}

Result<std::string> write_pickle(const PickleValue& value) {
    Writer w;
    SHENBI_TRY_STATUS(w.write(value));
    return w.finish();
}

}  // namespace shenbi
