import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a secret (a password) from standard input: one line. At a terminal it asks on standard error and turns the
/// terminal's echo off while the line is typed, so the secret never shows on screen or in a scrollback; from a pipe it
/// reads the line as it comes.
enum SecretInput {
    static func readLine(prompt: String) -> String? {
        guard isatty(STDIN_FILENO) == 1 else { return Swift.readLine(strippingNewline: true) }
        var saved = termios()
        let canSilence = tcgetattr(STDIN_FILENO, &saved) == 0
        if canSilence {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            silent.c_lflag |= tcflag_t(ECHONL)
            _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer { if canSilence { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) } }
        FileHandle.standardError.write(Data(prompt.utf8))
        return Swift.readLine(strippingNewline: true)
    }
}
