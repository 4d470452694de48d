// libFuzzer target: each input goes to FuzzSupport.fuzzFlightData.

internal import FuzzSupport

/// The entry point libFuzzer calls with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
  withInput(data, size, fuzzFlightData)
  return 0
}

runLibFuzzer(fuzzTestOneInput)
