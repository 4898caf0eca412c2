#!/usr/bin/env bash
# Overhead of `warden build` (bubblewrap sandbox + strace monitor + event log) against plain `cargo build --offline`
# on the same clean project: serde (derive), serde_json, regex and libc from Debian's crate sources (see
# ../shared/corpus/DEBIAN_CRATES.md), so 15 real crates with build scripts and a proc macro. Needs hyperfine,
# bubblewrap, strace and the librust-*-dev packages.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project="$repo/target/bench-build"
runs="${RUNS:-5}"
[ -d /usr/share/cargo/registry/serde-1.0.152 ] || { echo "Debian crate sources missing: see ../shared/corpus/DEBIAN_CRATES.md" >&2; exit 2; }
export PATH="$HOME/.cargo/bin:$PATH"
rm -rf "$project" && mkdir -p "$project/src" "$project/.cargo"
cat > "$project/Cargo.toml" <<'TOML'
[package]
name = "bench-build"
version = "0.1.0"
edition = "2021"

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
libc = "0.2"
TOML
cat > "$project/src/main.rs" <<'RS'
#[derive(serde::Serialize, serde::Deserialize, Debug)]
struct Point { name: String, n: u32 }
fn main() {
    let p: Point = serde_json::from_str(r#"{"name":"x","n":3}"#).unwrap();
    println!("{:?} {} {}", p, regex::Regex::new(r"\d+").unwrap().is_match("a1"), unsafe { libc::getpid() } > 0);
}
RS
cat > "$project/.cargo/config.toml" <<'TOML'
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
TOML
(cd "$project" && cargo generate-lockfile --offline -q)
"$repo/warden" --version >/dev/null  # builds the jar and its start-up cache outside the measurement
cd "$project"
trace="execve,execveat,connect,bind,listen,sendto,sendmsg,sendmmsg,open,openat,openat2,chdir,fchdir,clone,clone3,fork,vfork,socket,memfd_create,io_uring_setup,ptrace,mount,umount2,unshare,setns,pivot_root,process_vm_readv,process_vm_writev"
sandbox="bwrap --unshare-all --unshare-user --uid 65534 --gid 65534 --disable-userns --cap-drop ALL --die-with-parent --new-session --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --bind $project/target $project/target --chdir $project"
filter="$repo/target/bench-seccomp.bpf"
# Warden's own seccomp program, written by Warden's code, for the "bwrap + seccomp" line.
. "$repo/scripts/jdk.sh"
cat > "$repo/target/WriteFilter.java" <<'JAVA'
public class WriteFilter {
    public static void main(String[] args) throws Exception {
        java.nio.file.Files.write(java.nio.file.Path.of(args[0]),
                dev.warden.limit.SeccompFilter.program(System.getProperty("os.arch")));
    }
}
JAVA
"$(jdk_home)/bin/java" -cp "$repo/target/warden.jar" "$repo/target/WriteFilter.java" "$filter"
hyperfine --runs "$runs" --prepare "rm -rf target && mkdir target" --export-json "$repo/target/build-overhead.json" \
  -n 'cargo build --offline' 'cargo build --offline -q' \
  -n 'bwrap (user ns, no caps)' "$sandbox cargo build --offline -q" \
  -n 'bwrap + seccomp' "sh -c 'exec \"\$@\" 9<\"\$0\"' $filter $sandbox --seccomp 9 cargo build --offline -q" \
  -n 'strace only' "strace -f -q -ttt -xx -s 4096 --pidns-translation --seccomp-bpf -e trace=$trace -e signal=SIGSYS -o /tmp/warden-bench-trace cargo build --offline -q" \
  -n 'warden build' "$repo/warden build -- cargo build --offline -q"
python3 - "$repo/target/build-overhead.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]["mean"]
for r in results:
    print(f'{r["command"]:<24} {r["mean"]:.2f} s ± {r["stddev"]:.2f}  {r["mean"]/base:.3f}x')
PY
