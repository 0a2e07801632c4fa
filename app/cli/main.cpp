// shenbi-cli: headless generation, data tools, training and benchmarks.
// The commands live in cmd_*.cpp; this file only dispatches.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "app/cli/command.h"

namespace shenbi::cli {

Args::Args(std::vector<std::string> argv) {
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.rfind("--", 0) != 0 || a.size() == 2) {
            positional_.push_back(a);
            continue;
        }
        const auto eq = a.find('=');
        if (eq != std::string::npos) {
            values_[a.substr(2, eq - 2)] = a.substr(eq + 1);
        } else if (i + 1 < argv.size() && argv[i + 1].rfind("--", 0) != 0) {
            values_[a.substr(2)] = argv[++i];
        } else {
            values_[a.substr(2)] = "";
        }
    }
}

bool Args::has(const std::string& key) const {
    return values_.count(key) > 0;
}

std::string Args::get(const std::string& key, const std::string& fallback) const {
    const auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
}

std::vector<std::string> Args::get_list(const std::string& key, char sep) const {
    std::vector<std::string> out;
    std::string item;
    std::istringstream in(get(key));
    while (std::getline(in, item, sep))
        if (!item.empty()) out.push_back(item);
    return out;
}

namespace {

// How a flag's text parsed: the whole text a number of the type, no number, or one beyond the type.
enum class Parsed { Ok, NotANumber, OutOfRange };

template <class T, class Convert>
Parsed parse_whole(const std::string& text, T& out, Convert convert) {
    try {
        std::size_t pos = 0;
        out = convert(text, &pos);
        return pos == text.size() ? Parsed::Ok : Parsed::NotANumber;
    } catch (const std::out_of_range&) {
        return Parsed::OutOfRange;
    } catch (const std::invalid_argument&) {  // the only other thing std::sto* throws
        return Parsed::NotANumber;
    }
}

std::string number_text(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// "a finite number > 0", "a number in (0, 1]".
std::string describe(const Bounds& b) {
    if (std::isinf(b.max)) return std::string("a finite number ") + (b.min_open ? "> " : ">= ") + number_text(b.min);
    return std::string("a number in ") + (b.min_open ? "(" : "[") + number_text(b.min) + ", " + number_text(b.max) +
           (b.max_open ? ")" : "]");
}

}  // namespace

void Args::record(const std::string& message) const {
    // A flag read twice (before the work, then with the model's defaults) is reported once.
    if (std::find(errors_.begin(), errors_.end(), message) == errors_.end()) errors_.push_back(message);
}

void Args::error(const std::string& message) const {
    record(message);
}

long long Args::get_int(const std::string& key, long long fallback, long long min, long long max) const {
    if (!has(key)) return fallback;
    const std::string v = get(key);
    long long n = 0;
    const Parsed p = parse_whole(v, n, [](const std::string& s, std::size_t* pos) { return std::stoll(s, pos); });
    if (p == Parsed::Ok && n >= min && n <= max) return n;
    if (p == Parsed::NotANumber) {
        record("--" + key + " expects an integer, got '" + v + "'");
    } else {
        const std::string range = max == std::numeric_limits<long long>::max()
                                      ? ">= " + std::to_string(min)
                                      : std::to_string(min) + ".." + std::to_string(max);
        record("--" + key + " must be " + range + ", got " + v);
    }
    return fallback;
}

bool Args::get_on_off(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    const std::string v = get(key);
    if (v == "on" || v == "off") return v == "on";
    record("--" + key + ": on or off, got '" + v + "'");
    return fallback;
}

double Args::get_double(const std::string& key, double fallback, const Bounds& allowed) const {
    if (!has(key)) return fallback;
    const std::string v = get(key);
    double d = 0;
    const Parsed p = parse_whole(v, d, [](const std::string& s, std::size_t* pos) { return std::stod(s, pos); });
    // NaN fails every comparison, infinity the finiteness: both are refused here.
    const bool inside = std::isfinite(d) && (allowed.min_open ? d > allowed.min : d >= allowed.min) &&
                        (allowed.max_open ? d < allowed.max : d <= allowed.max);
    if (p == Parsed::Ok && inside) return d;
    if (p == Parsed::NotANumber)
        record("--" + key + " expects a number, got '" + v + "'");
    else
        record("--" + key + " must be " + describe(allowed) + ", got " + v);
    return fallback;
}

std::uint64_t Args::get_u64(const std::string& key, std::uint64_t fallback) const {
    if (!has(key)) return fallback;
    const std::string v = get(key);
    // std::stoull reads "-1" as 2^64-1: a minus sign is refused before it.
    const auto first = v.find_first_not_of(" \t");
    const bool negative = first != std::string::npos && v[first] == '-';
    std::uint64_t n = 0;
    const Parsed p = negative ? Parsed::OutOfRange : parse_whole(v, n, [](const std::string& s, std::size_t* pos) {
        return static_cast<std::uint64_t>(std::stoull(s, pos));
    });
    if (p == Parsed::Ok) return n;
    if (p == Parsed::NotANumber)
        record("--" + key + " expects an integer, got '" + v + "'");
    else
        record("--" + key + " must be 0.." + std::to_string(std::numeric_limits<std::uint64_t>::max()) + ", got " + v);
    return fallback;
}

int threads_flag(const Args& args, int fallback) {
    // Far above any machine's cores, far below the thread count that stalls the
    // process (--threads 100000 started that many and hung).
    const long long cores = std::thread::hardware_concurrency();
    return static_cast<int>(args.get_int("threads", fallback, 1, std::max(256LL, 16 * cores)));
}

std::vector<std::string> Args::keys() const {
    std::vector<std::string> out;
    for (const auto& [k, v] : values_) out.push_back(k);
    return out;
}

int fail(const std::string& command, const std::string& message) {
    std::cerr << "shenbi-cli " << command << ": " << message << "\n";
    return 1;
}

std::vector<Command>& registry() {
    static std::vector<Command> commands;
    return commands;
}

namespace {

void print_help() {
    std::cout << "shenbi-cli " << SHENBI_VERSION << " - Chinese text-to-image (ARTIST) from the command line\n\n"
              << "usage: shenbi-cli COMMAND [--flag value ...]\n\ncommands:\n";
    auto commands = registry();
    std::sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& c : commands) std::printf("  %-22s %s\n", c.name.c_str(), c.summary.c_str());
    std::cout << "\n`shenbi-cli help COMMAND` shows a command's flags.\n";
}

const Command* find_command(const std::vector<std::string>& words, std::size_t& consumed) {
    // Longer names win: "eval judge train" over "eval judge", "bench generate" over "bench".
    for (std::size_t n : {std::size_t{3}, std::size_t{2}, std::size_t{1}}) {
        if (words.size() < n) continue;
        std::string name = words[0];
        for (std::size_t i = 1; i < n; ++i) name += " " + words[i];
        for (const auto& c : registry())
            if (c.name == name) {
                consumed = n;
                return &c;
            }
    }
    return nullptr;
}

// Commands whose name starts with `group` + " " ("bench" -> bench generate, bench train).
std::vector<const Command*> commands_in_group(const std::string& group) {
    std::vector<const Command*> out;
    for (const auto& c : registry())
        if (c.name.rfind(group + " ", 0) == 0) out.push_back(&c);
    std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
    return out;
}

void print_group_help(const std::string& group, const std::vector<const Command*>& members) {
    std::cout << "shenbi-cli " << group << " SUBCOMMAND:\n";
    for (const auto* c : members) std::printf("  %-22s %s\n", c->name.c_str(), c->summary.c_str());
    std::cout << "\n`shenbi-cli help " << members.front()->name << "` shows its flags.\n";
}

// The flags a command takes are the ones its usage text names: one list that
// both `help` shows and the check before running uses.
std::set<std::string> flags_of(const Command& c) {
    std::set<std::string> out;
    static const std::regex flag(R"(--([A-Za-z0-9][A-Za-z0-9_-]*))");
    for (std::sregex_iterator it(c.usage.begin(), c.usage.end(), flag), end; it != end; ++it) out.insert((*it)[1]);
    return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// Every unknown flag, each with the nearest known one; empty when all are known.
// Known means named by the usage text, not read by run(): a flag that run()
// never reached because an earlier one failed is still a real flag.
std::vector<std::string> unknown_flags(const Command& c, const Args& args) {
    const auto known = flags_of(c);
    std::vector<std::string> errors;
    for (const auto& k : args.keys()) {
        if (known.count(k)) continue;
        std::string message = "unknown flag --" + k;
        std::string best;
        std::size_t best_d = 3;  // suggest only close spellings (--top-k for --top_k, --candiates ...)
        for (const auto& f : known)
            if (const auto d = edit_distance(k, f); d < best_d) best_d = d, best = f;
        if (!best.empty()) message += " (did you mean --" + best + "?)";
        errors.push_back(message);
    }
    return errors;
}

}  // namespace
}  // namespace shenbi::cli

int main(int argc, char** argv) {
    using namespace shenbi::cli;
    std::vector<std::string> words(argv + 1, argv + argc);
    if (words.empty() || words[0] == "--help" || words[0] == "-h") {
        print_help();
        return words.empty() ? 2 : 0;
    }
    if (words[0] == "--version") {
        std::cout << "shenbi-cli " << SHENBI_VERSION << "\n";
        return 0;
    }
    const bool help = words[0] == "help";
    if (help) words.erase(words.begin());
    if (help && words.empty()) {
        print_help();
        return 0;
    }
    std::size_t consumed = 0;
    const Command* cmd = find_command(words, consumed);
    if (!cmd) {
        // A group word alone ("bench", "help bench") lists the group's commands.
        if (const auto members = commands_in_group(words[0]); !members.empty()) {
            print_group_help(words[0], members);
            return help ? 0 : 2;
        }
        std::cerr << "shenbi-cli: unknown command '" << words[0] << "'\n";
        print_help();
        return 2;
    }
    // "eval judge" or "eval judge trian": a group below the matched command,
    // not a positional argument of it (which would start a whole evaluation).
    if (consumed < words.size() && words[consumed].rfind("-", 0) != 0) {
        const std::string group = cmd->name + " " + words[consumed];
        if (const auto members = commands_in_group(group); !members.empty()) {
            if (consumed + 1 < words.size() && words[consumed + 1].rfind("-", 0) != 0)
                std::cerr << "shenbi-cli: unknown command '" << group << " " << words[consumed + 1] << "'\n";
            print_group_help(group, members);
            return help && consumed + 1 == words.size() ? 0 : 2;
        }
    }
    if (help || std::find(words.begin(), words.end(), "--help") != words.end()) {
        std::cout << "shenbi-cli " << cmd->name << ": " << cmd->summary << "\n\n" << cmd->usage << "\n";
        return 0;
    }
    Args args(std::vector<std::string>(words.begin() + static_cast<long>(consumed), words.end()));
    // Flags are checked before any work is done: a typo must not cost a model load or a training run.
    if (const auto unknown = unknown_flags(*cmd, args); !unknown.empty()) {
        for (const auto& e : unknown) std::cerr << "shenbi-cli " << cmd->name << ": " << e << "\n";
        std::cerr << "see `shenbi-cli help " << cmd->name << "`\n";
        return 2;
    }
    const int rc = cmd->run(args);
    for (const auto& e : args.errors()) std::cerr << "shenbi-cli " << cmd->name << ": " << e << "\n";
    return args.errors().empty() ? rc : 2;
}
