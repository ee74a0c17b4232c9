#pragma once

#include <string>

#include "clients/common/cli.h"
#include "clients/common/output.h"

namespace acd::clients::acdctl {

// The operator's subcommands, on the Admin service (a token with role admin). Each returns the
// program's exit status: 0, or kExitFailure after printing the error or the problems found.

/// ReloadConfig: prints `reload applied=... changes=N problems=M`, then a `change` line per
/// entity added, changed or removed and a `problem` line per problem. Fails when the file has
/// problems (with `dry_run` too: the file would not apply).
int ReloadConfig(const GlobalOptions& global, bool dry_run, Output& output);

/// ValidateConfig of the local file at `path`: prints `config valid=... tenants=N ...` and a
/// `problem` line per problem. Fails when the document is not valid.
int ValidateConfig(const GlobalOptions& global, const std::string& path, Output& output);

}  // namespace acd::clients::acdctl
