// The paths of the Flight service's methods, for raw calls over the transport.

/// The method path of a Flight RPC.
func flightMethod(_ name: String) -> String {
  "/arrow.flight.protocol.FlightService/\(name)"
}
