import Foundation

/// This server as the holder of the jobs it runs (the store's `jobs.owner`, `HOST PID NONCE`): a running job is held
/// under a lease the scheduler renews; once a holder stops renewing (it died), any server on the same database
/// claims the job when the lease expires. A holder on this machine whose process is gone is known dead at once, so
/// a server restarted after a crash resumes its jobs without waiting for their leases.
struct JobOwner: Sendable, Equatable {
    var host: String
    var pid: Int32
    /// Tells apart two holders in one process (servers started by tests) and a pid reused after a restart.
    var nonce: String

    /// This process, with a fresh nonce.
    static func current() -> JobOwner {
        JobOwner(host: WorkerConfiguration.hostName(), pid: ProcessInfo.processInfo.processIdentifier,
                 nonce: String(UUID().uuidString.prefix(8)).lowercased())
    }

    /// The text stored in `jobs.owner`.
    var text: String { "\(host) \(pid) \(nonce)" }

    /// The holder `text` names; nil when it is not a holder's text.
    init?(text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        (host, self.pid, nonce) = (String(parts[0]), pid, String(parts[2]))
    }

    init(host: String, pid: Int32, nonce: String) {
        (self.host, self.pid, self.nonce) = (host, pid, nonce)
    }

    /// Whether this holder is known to be dead: it ran on this machine and its process is gone.
    var diedOnThisHost: Bool {
        host == WorkerConfiguration.hostName() && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// How a job log names it: `HOST (pid PID)`.
    var shown: String { "\(host) (pid \(pid))" }
}
