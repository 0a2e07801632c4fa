// Sub-command registry of shenbi-cli. Each cmd_*.cpp registers its commands
// with SHENBI_COMMAND; main() dispatches on the first one to three words.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shenbi::cli {

// `--key value`, `--key=value`, bare `--flag`, and positionals.
class Args {
public:
    Args(std::vector<std::string> argv);

    bool has(const std::string& key) const;
    std::string get(const std::string& key, const std::string& fallback = "") const;
    // Numeric getters record a parse error (see errors()) instead of throwing.
    long long get_int(const std::string& key, long long fallback) const;
    double get_double(const std::string& key, double fallback) const;
    const std::vector<std::string>& positional() const { return positional_; }
    // Every flag given (main() checks them against the command's usage).
    std::vector<std::string> keys() const;
    const std::vector<std::string>& errors() const { return errors_; }

private:
    std::map<std::string, std::string> values_;
    std::vector<std::string> positional_;
    mutable std::vector<std::string> errors_;
};

struct Command {
    std::string name;                     // e.g. "generate" or "bench generate"
    std::string summary;                  // one line for --help
    std::string usage;                    // flags, shown by `shenbi-cli help NAME`
    std::function<int(const Args&)> run;  // exit code
};

std::vector<Command>& registry();

// Prints "shenbi-cli CMD: MESSAGE" on stderr and returns exit code 1.
int fail(const std::string& command, const std::string& message);

struct Registrar {
    explicit Registrar(Command c) { registry().push_back(std::move(c)); }
};

}  // namespace shenbi::cli

#define SHENBI_CLI_CONCAT2(a, b) a##b
#define SHENBI_CLI_CONCAT(a, b) SHENBI_CLI_CONCAT2(a, b)
#define SHENBI_COMMAND(...)                                                          \
    static const ::shenbi::cli::Registrar SHENBI_CLI_CONCAT(shenbi_cmd_, __LINE__) { \
        ::shenbi::cli::Command {                                                     \
            __VA_ARGS__                                                              \
        }                                                                            \
    }
