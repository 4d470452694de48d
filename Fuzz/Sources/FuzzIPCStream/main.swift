// libFuzzer target: each input goes to FuzzSupport.fuzzStream.

internal import FuzzSupport

/// The entry point libFuzzer calls with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  withInput(data, size, fuzzStream)
  return 0
}

runLibFuzzer(fuzzTestOneInput)
