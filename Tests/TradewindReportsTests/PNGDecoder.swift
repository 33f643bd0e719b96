import CZlib

/// A minimal PNG decoder for the browser tests: 8-bit RGB or RGBA, not interlaced (what headless
/// Chromium writes). Returns `nil` for anything else.
struct PNGImage {
    let width: Int
    let height: Int
    let channels: Int
    let pixels: [UInt8]

    func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let i = (y * width + x) * channels
        return (Int(pixels[i]), Int(pixels[i + 1]), Int(pixels[i + 2]))
    }

    static func decode(_ bytes: [UInt8]) -> PNGImage? {
        guard bytes.count > 8, bytes.prefix(8).elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var pos = 8
        var width = 0, height = 0, channels = 0
        var idat: [UInt8] = []
        while pos + 12 <= bytes.count {
            let length = be32(pos)
            let type = String(decoding: bytes[(pos + 4)..<(pos + 8)], as: UTF8.self)
            let start = pos + 8
            guard start + length + 4 <= bytes.count else { return nil }
            switch type {
            case "IHDR":
                width = be32(start)
                height = be32(start + 4)
                let depth = bytes[start + 8], color = bytes[start + 9], interlace = bytes[start + 12]
                guard depth == 8, interlace == 0, color == 2 || color == 6 else { return nil }
                channels = color == 6 ? 4 : 3
            case "IDAT": idat += bytes[start..<(start + length)]
            default: break
            }
            if type == "IEND" { break }
            pos = start + length + 4
        }
        guard width > 0, height > 0, channels > 0 else { return nil }
        let stride = width * channels
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawLength = uLongf(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { out in
            idat.withUnsafeBufferPointer { inp in uncompress(out.baseAddress, &rawLength, inp.baseAddress, uLong(inp.count)) }
        }
        guard status == Z_OK, Int(rawLength) == raw.count else { return nil }
        var px = [UInt8](repeating: 0, count: height * stride)
        for y in 0..<height {
            let filter = raw[y * (stride + 1)]
            let row = y * (stride + 1) + 1
            for x in 0..<stride {
                let a = x >= channels ? Int(px[y * stride + x - channels]) : 0
                let b = y > 0 ? Int(px[(y - 1) * stride + x]) : 0
                let c = (x >= channels && y > 0) ? Int(px[(y - 1) * stride + x - channels]) : 0
                let v = Int(raw[row + x])
                let out: Int
                switch filter {
                case 0: out = v
                case 1: out = v + a
                case 2: out = v + b
                case 3: out = v + (a + b) / 2
                case 4:
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    out = v + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
                default: return nil
                }
                px[y * stride + x] = UInt8(truncatingIfNeeded: out)
            }
        }
        return PNGImage(width: width, height: height, channels: channels, pixels: px)
    }
}
