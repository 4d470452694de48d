// libFuzzer target: each input goes to FuzzSupport.fuzzFile.

internal import FuzzSupport

/// The entry point libFuzzer calls with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  withInput(data, size, fuzzFile)
  return 0
}

runLibFuzzer(fuzzTestOneInput)
