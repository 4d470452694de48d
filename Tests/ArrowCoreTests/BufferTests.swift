internal import ArrowCore
internal import Synchronization
internal import Testing

@Suite struct BufferTests {
  @Test func allocatedBuffersAreAligned() {
    for size in [1, 7, 64, 1000] {
      let buffer = Buffer(copying: [UInt8](repeating: 1, count: size))
      #expect(buffer.isAligned(to: 64))
      #expect(buffer.count == size)
    }
  }

  @Test func slicingSharesStorage() {
    let buffer = Buffer(copying: [1, 2, 3, 4, 5])
    let slice = buffer.slice(1..<4)
    #expect(Array(slice) == [2, 3, 4])
    let pointers = buffer.withUnsafeBytes { whole in
      slice.withUnsafeBytes { part in (whole.baseAddress!, part.baseAddress!) }
    }
    #expect(pointers.0 + 1 == pointers.1)
    #expect(buffer.slice(from: 4, count: 2) == nil)
    #expect(buffer.slice(from: 4, count: 1) == [5])
  }

  @Test func equalityIsByContent() {
    let a = Buffer(copying: [1, 2, 3])
    let b = Buffer(copying: [0, 1, 2, 3]).slice(1..<4)
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(a != Buffer(copying: [1, 2, 4]))
    #expect(Buffer() == Buffer.zeroed(count: 0))
  }

  @Test func foreignReleaseRunsOnceAfterLastSlice() {
    let released = Atomic<Int>(0)
    let memory = UnsafeMutableRawPointer.allocate(byteCount: 16, alignment: 8)
    memory.initializeMemory(as: UInt8.self, repeating: 7, count: 16)
    nonisolated(unsafe) let owned = memory
    var slice: Buffer?
    do {
      let buffer = Buffer(unsafeForeignMemory: UnsafeRawPointer(memory), count: 16) {
        released.add(1, ordering: .relaxed)
        owned.deallocate()
      }
      slice = buffer.slice(4..<8)
    }
    #expect(released.load(ordering: .relaxed) == 0)
    #expect(slice.map(Array.init) == [7, 7, 7, 7])
    slice = nil
    #expect(released.load(ordering: .relaxed) == 1)
  }

  @Test func unalignedLoads() {
    let buffer = Buffer(copying: [0, 1, 0, 0, 0, 0, 0, 0, 0])
    #expect(buffer.loadUnaligned(fromByteOffset: 1, as: Int64.self) == 1)
  }
}
