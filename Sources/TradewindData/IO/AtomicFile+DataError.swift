import TradewindCore

extension AtomicFile {
    /// `AtomicFile.write(to:_:failure:)` for producers that throw `DataError`: the write's own failures become
    /// `DataError`s of kind `.io` naming the destination.
    public static func write(
        to path: String,
        _ produce: (_ sink: (UnsafeRawBufferPointer) throws(DataError) -> Void) throws(DataError) -> Void
    ) throws(DataError) {
        try write(to: path, produce, failure: { DataError(.io, file: $0.path, $0.message) })
    }
}
