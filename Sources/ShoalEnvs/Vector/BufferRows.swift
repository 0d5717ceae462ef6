extension UnsafeBufferPointer {
    /// Row `index` of a row-major buffer whose rows are `width` elements long.
    @inline(__always)
    func row(_ index: Int, width: Int) -> UnsafeBufferPointer {
        UnsafeBufferPointer(rebasing: self[index * width..<(index + 1) * width])
    }
}

extension UnsafeMutableBufferPointer {
    /// Row `index` of a row-major buffer whose rows are `width` elements long.
    @inline(__always)
    func row(_ index: Int, width: Int) -> UnsafeMutableBufferPointer {
        UnsafeMutableBufferPointer(rebasing: self[index * width..<(index + 1) * width])
    }
}
