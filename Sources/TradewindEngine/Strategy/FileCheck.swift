#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system checks for path parameters (no Foundation in the engine).
enum FileCheck {
    /// True when `path` names a regular file (or a link to one) that this process may read.
    static func isReadableFile(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        return (st.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
    }
}
