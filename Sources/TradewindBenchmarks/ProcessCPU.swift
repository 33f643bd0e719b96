import Foundation

/// CPU seconds (user + system) a running process has used so far, from Linux's `/proc/PID/stat` (its 14th and 15th
/// fields, in clock ticks); NaN where that file cannot be read. Reads any process, the bench's servers included
/// (`FetchBenchmark.cpuSeconds` reads only this process or its finished children).
enum ProcessCPU {
    static func seconds(_ pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return .nan }
        // After the command name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
