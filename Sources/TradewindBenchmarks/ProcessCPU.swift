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

extension ProcessCPU {
    /// CPU seconds so far of each group of a running process's threads, from `/proc/PID/task/TID/stat`: threads are
    /// grouped by name with digits and `#` dropped (NIO's `NIO-ELT-0-#1` and `NIO-ELT-0-#0` are one group,
    /// `tw-backtest-0` and `tw-backtest-1` another). Empty where the files cannot be read.
    static func threadGroups(_ pid: Int32) -> [String: Double] {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task") else { return [:] }
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        var groups: [String: Double] = [:]
        for tid in tasks {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8),
                  let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { continue }
            let name = String(text[text.index(after: open)..<close].filter { !$0.isNumber && $0 != "#" })
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            groups[name, default: 0] += (user + system) / tick
        }
        return groups
    }
}
