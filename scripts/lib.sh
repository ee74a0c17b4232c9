# shellcheck shell=bash
# Helpers shared by the scripts in this directory. Source it; do not run it.
#
#   acd::install_packages   install the packages in scripts/packages.txt that are missing
#   acd::build PRESET       configure and build a CMake preset (see CMakePresets.json)
#   acd::section TITLE      print a section header

ACD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ACD_ROOT

acd::section() {
  printf '\n==== %s ====\n' "$*"
}

# Prints the package names from packages.txt, without comments or blank lines.
acd::packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "${ACD_ROOT}/scripts/packages.txt"
}

acd::install_packages() {
  local pkg
  local -a missing=()
  while IFS= read -r pkg; do
    if [[ "$(dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null || true)" != "install ok installed" ]]; then
      missing+=("${pkg}")
    fi
  done < <(acd::packages)

  if ((${#missing[@]} == 0)); then
    echo "All packages in scripts/packages.txt are installed."
    return 0
  fi

  echo "Missing Debian packages: ${missing[*]}"
  if ((EUID != 0)); then
    echo "error: installing them needs root. Run as root, or install them first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

acd::build() {
  local preset="$1"
  (
    cd "${ACD_ROOT}" || exit 1
    cmake --preset "${preset}"
    cmake --build --preset "${preset}" -j"$(nproc)"
  )
}
