import Foundation

/// This server as the holder of the jobs it runs (the store's `jobs.owner`, `HOST PID NONCE PIDNS`): a running job is
/// held under a lease the scheduler renews; once a holder stops renewing (it died), any server on the same database
/// claims the job when the lease expires. A holder in this very process table — same host name and same pid
/// namespace — whose process is gone is known dead at once, so a server restarted after a crash resumes its jobs
/// without waiting for their leases. Two containers may share a host name (orchestrators give them the same one)
/// while their pids name different processes: only a holder whose pid namespace is this process's is judged by its
/// pid; any other (and an owner text written before namespaces were recorded, `HOST PID NONCE`) only by its lease.
struct JobOwner: Sendable, Equatable {
    var host: String
    var pid: Int32
    /// Tells apart two holders in one process (servers started by tests) and a pid reused after a restart.
    var nonce: String
    /// The inode of the holder's pid namespace (`readlink /proc/self/ns/pid` → `pid:[INODE]`); nil when unknown (an
    /// older owner text, or a system without `/proc`).
    var pidNamespace: UInt64?

    /// This process, with a fresh nonce.
    static func current() -> JobOwner {
        JobOwner(host: WorkerConfiguration.hostName(), pid: ProcessInfo.processInfo.processIdentifier,
                 nonce: String(UUID().uuidString.prefix(8)).lowercased(), pidNamespace: thisPidNamespace)
    }

    /// This process's pid namespace, read once.
    static let thisPidNamespace: UInt64? = pidNamespace(link: "/proc/self/ns/pid")

    /// The namespace inode a `/proc/PID/ns/pid` link names (`pid:[4026531836]`); nil when it cannot be read.
    static func pidNamespace(link: String) -> UInt64? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { return nil }
        return pidNamespace(linkTarget: target)
    }

    /// The inode in a pid namespace link's target, `pid:[INODE]`; nil for any other text.
    static func pidNamespace(linkTarget: String) -> UInt64? {
        guard linkTarget.hasPrefix("pid:["), linkTarget.hasSuffix("]") else { return nil }
        return UInt64(linkTarget.dropFirst(5).dropLast())
    }

    /// The text stored in `jobs.owner`; an unknown namespace is written `-`.
    var text: String { "\(host) \(pid) \(nonce) \(pidNamespace.map(String.init) ?? "-")" }

    /// The holder `text` names (four fields, or the three of an owner written before namespaces were recorded:
    /// namespace unknown); nil when it is not a holder's text.
    init?(text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 3 || parts.count == 4, let pid = Int32(parts[1]) else { return nil }
        (host, self.pid, nonce) = (String(parts[0]), pid, String(parts[2]))
        if parts.count == 4, parts[3] != "-" {
            guard let namespace = UInt64(parts[3]) else { return nil }
            pidNamespace = namespace
        }
    }

    init(host: String, pid: Int32, nonce: String, pidNamespace: UInt64?) {
        (self.host, self.pid, self.nonce, self.pidNamespace) = (host, pid, nonce, pidNamespace)
    }

    /// Whether this holder is known to be dead: it ran in this process table (this host name and this pid namespace,
    /// both known) and its process is gone.
    var diedOnThisHost: Bool {
        died(seenFrom: WorkerConfiguration.hostName(), pidNamespace: Self.thisPidNamespace) { pid in
            kill(pid, 0) != 0 && errno == ESRCH
        }
    }

    /// Whether a process on `host` in pid namespace `namespace` knows this holder dead: only when both are this
    /// holder's (a namespace unknown on either side never matches) and `gone` says its pid names no process.
    func died(seenFrom host: String, pidNamespace namespace: UInt64?, gone: (Int32) -> Bool) -> Bool {
        guard self.host == host, let mine = pidNamespace, let namespace, mine == namespace else { return false }
        return gone(pid)
    }

    /// How a job log names it: `HOST (pid PID)`.
    var shown: String { "\(host) (pid \(pid))" }
}
