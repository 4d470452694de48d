// Extension types: a name and serialized parameters over a storage type. In IPC they travel
// as the storage type plus the field metadata `ARROW:extension:name` and
// `ARROW:extension:metadata`; readers that do not know a name still read the storage.

/// A user-defined logical type over a storage type, as Arrow's extension types are: arrays of
/// it hold exactly the buffers and children of `storage`.
///
/// ```swift
/// let uuid = DataType.extension(.uuid)                       // arrow.uuid over fixed_size_binary[16]
/// let point = try ExtensionType(name: "geo.point", storage: .fixedSizeList(Field("xy", .float64), 2))
/// let tensor = try ExtensionType.fixedShapeTensor(valueType: .float32, shape: [2, 3])
/// ```
///
/// The canonical extension types of the Arrow specification (`arrow.uuid`, `arrow.json`,
/// `arrow.bool8`, `arrow.fixed_shape_tensor`, `arrow.variable_shape_tensor`, `arrow.opaque`)
/// have named constructors; ``init(name:storage:metadata:)`` checks their storage type too.
public struct ExtensionType: Sendable, Hashable, CustomStringConvertible {
  /// The name (`ARROW:extension:name`), such as `arrow.uuid`.
  public let name: String
  /// The type of the stored data.
  public let storage: DataType
  /// The serialized parameters (`ARROW:extension:metadata`), often empty or JSON.
  public let metadata: String

  /// The field metadata key that names the extension type in IPC.
  public static let nameKey = "ARROW:extension:name"
  /// The field metadata key that holds the serialized parameters in IPC.
  public static let metadataKey = "ARROW:extension:metadata"

  /// An extension type; for a canonical name, the storage type is checked against the
  /// specification.
  ///
  /// - Throws: ``ArrowError/Kind/invalid`` when the name is empty, the storage is itself an
  ///   extension type, or a canonical type has the wrong storage.
  public init(name: String, storage: DataType, metadata: String = "") throws(ArrowError) {
    self.init(unchecked: name, storage: storage, metadata: metadata)
    try validate()
  }

  init(unchecked name: String, storage: DataType, metadata: String) {
    self.name = name
    self.storage = storage
    self.metadata = metadata
  }

  /// `extension<name>`, as pyarrow prints an extension type.
  public var description: String { "extension<\(name)>" }

  /// Checks the name and, for a canonical type, the storage type.
  public func validate() throws(ArrowError) {
    guard !name.isEmpty else { throw .invalid("an extension type needs a name") }
    if case .extension = storage { throw .invalid("extension type \(name) cannot be stored as another extension type") }
    try storage.validate()
    func require(_ ok: Bool, _ expected: String) throws(ArrowError) {
      guard ok else { throw .invalid("\(name) must be stored as \(expected), not \(storage)") }
    }
    switch name {
    case "arrow.uuid": try require(storage == .fixedSizeBinary(16), "fixed_size_binary[16]")
    case "arrow.json": try require([.string, .largeString, .stringView].contains(storage), "a string type")
    case "arrow.bool8": try require(storage == .int8, "int8")
    case "arrow.fixed_shape_tensor":
      guard case .fixedSizeList = storage else {
        try require(false, "a fixed-size list")
        return
      }
    case "arrow.variable_shape_tensor":
      guard case .struct(let fields) = storage, fields.count >= 2, fields[0].name == "data",
        case .list = fields[0].type, fields[1].name == "shape", case .fixedSizeList(let dims, _) = fields[1].type,
        dims.type == .int32
      else {
        try require(false, "struct<data: list<...>, shape: fixed_size_list<int32>[ndim]>")
        return
      }
    default: break
    }
  }

  // MARK: Canonical extension types

  /// `arrow.uuid`: 16-byte UUIDs stored as `fixed_size_binary[16]`.
  public static let uuid = ExtensionType(unchecked: "arrow.uuid", storage: .fixedSizeBinary(16), metadata: "")

  /// `arrow.bool8`: booleans stored one per byte as `int8` (0 false, anything else true).
  public static let bool8 = ExtensionType(unchecked: "arrow.bool8", storage: .int8, metadata: "")

  /// `arrow.json`: JSON text stored as `string`, `large_string` or `string_view`.
  public static func json(storage: DataType = .string) throws(ArrowError) -> ExtensionType {
    try ExtensionType(name: "arrow.json", storage: storage)
  }

  /// `arrow.opaque`: data of a type another system defines, stored as `storage`; the
  /// parameters name the type and its system.
  public static func opaque(storage: DataType, typeName: String, vendorName: String) throws(ArrowError)
    -> ExtensionType
  {
    try ExtensionType(
      name: "arrow.opaque", storage: storage,
      metadata: "{\"type_name\":\(jsonString(typeName)),\"vendor_name\":\(jsonString(vendorName))}")
  }

  /// `arrow.fixed_shape_tensor`: tensors of one `shape`, each stored as a
  /// `fixed_size_list<element: valueType>[product of shape]`.
  public static func fixedShapeTensor(
    valueType: DataType, shape: [Int], dimensionNames: [String]? = nil, permutation: [Int]? = nil
  ) throws(ArrowError) -> ExtensionType {
    guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalid("tensor shape \(shape) has a negative dimension") }
    try checkTensorParameters(dimensions: shape.count, dimensionNames: dimensionNames, permutation: permutation)
    var (size, overflow) = (1, false)
    for dimension in shape where !overflow { (size, overflow) = size.multipliedReportingOverflow(by: dimension) }
    guard !overflow else { throw .invalid("tensor shape \(shape) holds too many values") }
    return try ExtensionType(
      name: "arrow.fixed_shape_tensor", storage: .fixedSizeList(Field("item", valueType), size),
      metadata: tensorMetadata([("shape", jsonArray(shape))], dimensionNames: dimensionNames, permutation: permutation))
  }

  /// `arrow.variable_shape_tensor`: tensors of `dimensions` dimensions and any shape, stored as
  /// `struct<data: list<item: valueType>, shape: fixed_size_list<item: int32>[dimensions]>`.
  public static func variableShapeTensor(
    valueType: DataType, dimensions: Int, dimensionNames: [String]? = nil, permutation: [Int]? = nil,
    uniformShape: [Int?]? = nil
  ) throws(ArrowError) -> ExtensionType {
    guard dimensions >= 0 else { throw .invalid("a tensor cannot have \(dimensions) dimensions") }
    try checkTensorParameters(dimensions: dimensions, dimensionNames: dimensionNames, permutation: permutation)
    if let uniformShape, uniformShape.count != dimensions {
      throw .invalid("uniform shape \(uniformShape) does not have \(dimensions) dimensions")
    }
    var parts: [(String, String)] = []
    if let uniformShape {
      parts.append(
        ("uniform_shape", "[" + uniformShape.map { $0.map(String.init) ?? "null" }.joined(separator: ",") + "]"))
    }
    let storage = DataType.struct([
      Field("data", .list(Field("item", valueType))),
      Field("shape", .fixedSizeList(Field("item", .int32), dimensions)),
    ])
    return try ExtensionType(
      name: "arrow.variable_shape_tensor", storage: storage,
      metadata: tensorMetadata(parts, dimensionNames: dimensionNames, permutation: permutation))
  }

  private static func checkTensorParameters(dimensions: Int, dimensionNames: [String]?, permutation: [Int]?)
    throws(ArrowError)
  {
    if let dimensionNames, dimensionNames.count != dimensions {
      throw .invalid("\(dimensionNames.count) dimension names for \(dimensions) dimensions")
    }
    if let permutation, permutation.sorted() != Array(0..<dimensions) {
      throw .invalid("\(permutation) is not a permutation of 0..<\(dimensions)")
    }
  }

  private static func tensorMetadata(_ parts: [(String, String)], dimensionNames: [String]?, permutation: [Int]?)
    -> String
  {
    var parts = parts
    if let dimensionNames {
      parts.append(("dim_names", "[" + dimensionNames.map(jsonString).joined(separator: ",") + "]"))
    }
    if let permutation { parts.append(("permutation", jsonArray(permutation))) }
    return parts.isEmpty ? "" : "{" + parts.map { "\(jsonString($0.0)):\($0.1)" }.joined(separator: ",") + "}"
  }

  private static func jsonArray(_ values: [Int]) -> String {
    "[" + values.map(String.init).joined(separator: ",") + "]"
  }

  private static func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}

/// An array of an extension type: the buffers and children of its storage type, under the
/// extension type. ``storage`` views the same data as an array of the storage type.
///
/// ```swift
/// let ids = ExtensionArray(storage: FixedSizeBinaryArray(...), type: .uuid)
/// ids.storage            // the fixed_size_binary[16] array
/// ```
public struct ExtensionArray: ArrowArray {
  /// The slot's value as a one-slot array of the storage type (no copy).
  public typealias Value = any ArrowArray
  /// The underlying data (of an extension type).
  public let data: ArrayData

  /// Wraps `data` without checks.
  public init(unchecked data: ArrayData) { self.data = data }

  /// The array `storage` under extension type `type`.
  ///
  /// - Precondition: `storage`'s type is `type`'s storage type.
  public init(storage: any ArrowArray, type: ExtensionType) {
    precondition(storage.type == type.storage, "storage of type \(storage.type) is not \(type.storage)")
    self.init(unchecked: storage.data.withType(.extension(type)))
  }

  /// Accepts any extension type.
  public static func accepts(_ type: DataType) -> Bool {
    if case .extension = type { return true }
    return false
  }

  /// The extension type.
  public var extensionType: ExtensionType {
    guard case .extension(let type) = data.type else { preconditionFailure("not an extension array") }
    return type
  }

  /// The same data as an array of the storage type (no copy).
  public var storage: any ArrowArray { makeArray(data.withType(extensionType.storage)) }

  /// The value of slot `index` as a one-slot array of the storage type.
  public func value(at index: Int) -> any ArrowArray {
    precondition(index >= 0 && index < data.length, "index \(index) is outside 0..<\(data.length)")
    return storage.sliceErased(offset: index, length: 1)
  }

  /// The storage value, as it prints.
  public func formatValue(at index: Int) -> String { storage.formatSlot(index) }
}
