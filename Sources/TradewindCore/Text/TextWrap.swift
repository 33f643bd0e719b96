/// Words laid out in lines of a fixed width, for the text boxes the CLI and reports print.
public enum TextWrap {
    /// `words` joined by spaces into lines of at most `width` characters; lines after the first start with `indent`.
    /// A word too long for a line is cut across lines. No words give one empty line.
    public static func lines(_ words: [String], width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in words {
            let candidate = line.isEmpty ? word : line + " " + word
            if candidate.count <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            line = (lines.isEmpty ? "" : indent) + word
            while line.count > max(width, indent.count + 1) {
                let cut = max(width, indent.count + 1)
                lines.append(String(line.prefix(cut)))
                line = indent + line.dropFirst(cut)
            }
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}
