#!/usr/bin/env python3
"""Writes the Swift side of a .proto for Sources/FlightProto: the plain message types, and the
glue between the Swift message types and the C that protoc-c generates.

Usage: generate-swift.py DESCRIPTOR_SET PROTO_FILE OUTPUT_DIRECTORY

DESCRIPTOR_SET is what `protoc-c --descriptor_set_out --include_imports --include_source_info`
wrote for PROTO_FILE (read with the `protobuf` package of the project's .venv). Two files come
out, named after PROTO_FILE:

- `<Name>.swift`: a public struct for each message marked `declare` below (a stored property
  per field, documented with the field's comment in the .proto, and an initializer with the
  proto3 defaults), and a public enum for each enum in ENUMS.
- `<Name>.protobuf-c.swift`: for each message bound to a Swift type in MESSAGES, the binding
  (the C struct and its generated `*__init`) and, unless the message is `custom`, its `fill`
  and `init(c:)`, a line per field. Everything else (packing, unpacking, the public
  `serialized()` and `init(serializedBytes:)`) is generic, in ProtobufCBridge.swift.

A field maps to the Swift stored property named in camelCase (or as renamed below). In the
glue, the property's type picks the conversion (`String` or `[UInt8]` for bytes, `T` or `T?`
for a message, ...). Declared types use, for each proto type: the Swift integer of the same
width, `Bool`, `Double`, `[UInt8]` for bytes (`String` for a field marked "`string` upstream",
the strings protoc-c forces to bytes), the bound Swift type for a message (optional unless
required), an array for a repeated field, a dictionary for a map's entry messages, and an
optional for a one-field oneof named `_<field>` (how protoc-c takes a proto3 `optional`).

Scripts/generate-protos.sh runs it; Scripts/check-protos.sh checks its output for drift.
"""

import os
import sys

from google.protobuf import descriptor_pb2

FieldDescriptor = descriptor_pb2.FieldDescriptorProto

# The Swift side of each .proto: message full name -> options.
#   swift:    the Swift type (default: the message name)
#   declare:  the public struct is generated (otherwise it is hand-written)
#   doc:      the struct's documentation when the .proto has no comment for it, or a note added
#   docs:     proto field name -> the property's documentation, where the .proto has no comment
#   custom:   fill and init(c:) are hand-written in ProtobufCBridge.swift (the Swift type's shape
#             differs from the message's: an enum, a dictionary, a validated value)
#   rename:   proto field name -> Swift property name, where it is not the camelCase name
#   required: fields whose absence is an error (otherwise an absent message field decodes as
#             nil for an optional property, or as the message's default value)
# Messages not listed (FlightData, which has its own codec; map entries; nested helpers of
# custom messages) get no Swift side.
MESSAGES = {
    "Flight.proto": {
        "google.protobuf.Timestamp": {},
        "arrow.flight.protocol.HandshakeRequest": {"declare": True},
        "arrow.flight.protocol.HandshakeResponse": {
            "declare": True,
            "doc": "The response that a server provides to a client on handshake.",
        },
        "arrow.flight.protocol.BasicAuth": {
            "declare": True,
            "docs": {"username": "The user name.", "password": "The password."},
        },
        "arrow.flight.protocol.Empty": {"declare": True, "doc": "The message with no fields."},
        "arrow.flight.protocol.ActionType": {
            "declare": True,
            "docs": {
                "type": "The name used to run the action with `DoAction`.",
                "description": "A human-readable description of the action.",
            },
        },
        "arrow.flight.protocol.Criteria": {
            "declare": True,
            "docs": {"expression": "The opaque filter expression; empty means \"all flights\"."},
        },
        "arrow.flight.protocol.Action": {
            "declare": True,
            "docs": {
                "type": "The action name, one of those listed by `ListActions` or a standard action.",
                "body": "The action's argument bytes.",
            },
        },
        "arrow.flight.protocol.Result": {
            "swift": "FlightResult",
            "declare": True,
            "doc": "(The protocol's `Result` message, renamed to stay clear of `Swift.Result`.)",
            "docs": {"body": "The opaque result bytes."},
        },
        "arrow.flight.protocol.SchemaResult": {"declare": True},
        "arrow.flight.protocol.FlightDescriptor": {"custom": True},
        "arrow.flight.protocol.FlightInfo": {"rename": {"endpoint": "endpoints"}},
        "arrow.flight.protocol.PollInfo": {},
        "arrow.flight.protocol.CancelFlightInfoRequest": {
            "declare": True,
            "required": ["info"],
            "docs": {"info": "The flight to cancel. Decoding requires it."},
        },
        "arrow.flight.protocol.CancelFlightInfoResult": {"declare": True, "docs": {"status": "The outcome."}},
        "arrow.flight.protocol.Ticket": {},
        "arrow.flight.protocol.Location": {"custom": True},
        "arrow.flight.protocol.FlightEndpoint": {"rename": {"location": "locations"}},
        "arrow.flight.protocol.RenewFlightEndpointRequest": {
            "declare": True,
            "required": ["endpoint"],
            "docs": {"endpoint": "The endpoint to renew. Decoding requires it."},
        },
        "arrow.flight.protocol.PutResult": {"declare": True, "docs": {"app_metadata": "Application-defined metadata."}},
        "arrow.flight.protocol.SessionOptionValue": {"custom": True},
        "arrow.flight.protocol.SetSessionOptionsRequest": {
            "declare": True,
            "docs": {"session_options": "The options to set, by name; ``SessionOptionValue/unset`` removes an option."},
        },
        "arrow.flight.protocol.SetSessionOptionsResult": {"custom": True},
        "arrow.flight.protocol.GetSessionOptionsRequest": {"declare": True},
        "arrow.flight.protocol.GetSessionOptionsResult": {
            "declare": True,
            "docs": {"session_options": "The session's options, by name."},
        },
        "arrow.flight.protocol.CloseSessionRequest": {"declare": True},
        "arrow.flight.protocol.CloseSessionResult": {"declare": True, "docs": {"status": "The outcome."}},
    },
}

# The enums declared as public Swift enums (nested ones inside their message's Swift type):
# enum full name -> options (swift: the Swift name, default the enum's).
ENUMS = {
    "Flight.proto": {
        "arrow.flight.protocol.CancelStatus": {},
        "arrow.flight.protocol.SetSessionOptionsResult.ErrorValue": {},
        "arrow.flight.protocol.CloseSessionResult.Status": {},
    },
}

# The marker of a `string` field that protoc-c forces to `bytes`, in its trailing comment.
STRING_MARKER = "`string` upstream"

SWIFT_SCALARS = {
    FieldDescriptor.TYPE_DOUBLE: "Double", FieldDescriptor.TYPE_FLOAT: "Float",
    FieldDescriptor.TYPE_INT64: "Int64", FieldDescriptor.TYPE_SINT64: "Int64", FieldDescriptor.TYPE_SFIXED64: "Int64",
    FieldDescriptor.TYPE_UINT64: "UInt64", FieldDescriptor.TYPE_FIXED64: "UInt64",
    FieldDescriptor.TYPE_INT32: "Int32", FieldDescriptor.TYPE_SINT32: "Int32", FieldDescriptor.TYPE_SFIXED32: "Int32",
    FieldDescriptor.TYPE_UINT32: "UInt32", FieldDescriptor.TYPE_FIXED32: "UInt32",
}
BYTES = (FieldDescriptor.TYPE_BYTES, FieldDescriptor.TYPE_STRING)


# protoc-c's C names: `arrow.flight.protocol.PollInfo` is the struct
# `Arrow__Flight__Protocol__PollInfo`, with functions `arrow__flight__protocol__poll_info__*`
# and constants `ARROW__FLIGHT__PROTOCOL__POLL_INFO__*`.
def camel_to_lower(name):
    out = ""
    for index, char in enumerate(name):
        if char.isupper() and index > 0 and not name[index - 1].isupper():
            out += "_"
        out += char.lower()
    return out


def c_struct(package, path):
    return "__".join([part[:1].upper() + part[1:] for part in package.split(".")] + path)


def c_lower(package, path):
    return "__".join(package.split(".") + [camel_to_lower(name) for name in path])


def camel_case(name):
    head, *rest = name.lower().split("_") if name.isupper() else name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def doc_lines(text, indent):
    """A `///` comment from a .proto comment (its lines, trimmed)."""
    lines = [line.strip() for line in text.strip("\n").split("\n")]
    if lines and lines[0] == "*":  # the second star of a `/**` comment
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return [f"{indent}///" + (" " + line if line else "") for line in lines]


class Proto:
    """The messages and enums of a descriptor set, with their comments."""

    def __init__(self, files, proto_file):
        self.messages = {}  # full name -> (package, path, DescriptorProto, comment path, file)
        self.enums = {}  # full name -> (path, EnumDescriptorProto, comment path, file)
        self.comments = {}  # (file name, comment path) -> SourceCodeInfo.Location
        self.options = MESSAGES[proto_file]
        self.enum_options = ENUMS[proto_file]
        for file in files.file:
            for location in file.source_code_info.location:
                self.comments[(file.name, tuple(location.path))] = location
            for index, message in enumerate(file.message_type):
                self.add_message(file, [message.name], message, (4, index))
            for index, enum in enumerate(file.enum_type):
                self.enums[f"{file.package}.{enum.name}"] = ([enum.name], enum, (5, index), file)

    def add_message(self, file, path, message, comment_path):
        self.messages[".".join([file.package] + path)] = (file.package, path, message, comment_path, file)
        for index, nested in enumerate(message.nested_type):
            self.add_message(file, path + [nested.name], nested, comment_path + (3, index))
        for index, enum in enumerate(message.enum_type):
            self.enums[".".join([file.package] + path + [enum.name])] = (
                path + [enum.name], enum, comment_path + (4, index), file)

    def comment(self, file, path, kind="leading_comments"):
        location = self.comments.get((file.name, path))
        return getattr(location, kind) if location else ""

    def swift_message(self, full_name):
        if full_name not in self.options:
            raise SystemExit(f"{full_name} has no Swift type")
        return self.options[full_name].get("swift", full_name.split(".")[-1])


class Field:
    """One field of a message: its Swift property, type and default, and the Swift lines that
    fill and read it."""

    def __init__(self, proto, message_name, index, options):
        package, path, message, comment_path, file = proto.messages[message_name]
        field = message.field[index]
        self.context = proto
        self.proto = field.name
        self.swift = options.get("rename", {}).get(field.name, camel_case(field.name))
        self.name = f"{message.name}.{field.name}"
        self.field = field
        self.required = field.name in options.get("required", [])
        self.doc = proto.comment(file, comment_path + (2, index)) or options.get("docs", {}).get(field.name)
        self.is_string = STRING_MARKER in proto.comment(file, comment_path + (2, index), "trailing_comments")
        self.presence = None  # (the C case field, the C case constant) of an optional field
        self.entry = None  # (the entry's C init function, its key Field, its value Field) of a map
        if field.HasField("oneof_index"):
            oneof = message.oneof_decl[field.oneof_index].name
            members = [f for f in message.field if f.HasField("oneof_index") and f.oneof_index == field.oneof_index]
            if oneof != "_" + field.name or len(members) != 1:
                raise SystemExit(f"{self.name}: only one-field oneofs `_<field>` map to Swift")
            constant = f"{c_lower(package, path).upper()}__{oneof.upper()}_{field.name.upper()}"
            self.presence = (f"{oneof}_case", constant)
        # A map field as its wire equivalent: repeated <Field>Entry { key = 1; value = 2; }.
        entry_name = "".join(part[:1].upper() + part[1:] for part in field.name.split("_")) + "Entry"
        entry_full_name = f"{message_name}.{entry_name}"
        if field.type_name == "." + entry_full_name and field.label == FieldDescriptor.LABEL_REPEATED:
            entry = proto.messages[entry_full_name][2]
            if [(f.name, f.number) for f in entry.field] == [("key", 1), ("value", 2)]:
                entry_init = c_lower(package, path + [entry_name]) + "__init"
                self.entry = (entry_init, Field(proto, entry_full_name, 0, {}), Field(proto, entry_full_name, 1, {}))

    def label(self, suffix=""):
        return '"' + self.name + suffix + '"'

    # The declared Swift type and default value.

    def single_type(self):
        kind = self.field.type
        if kind in SWIFT_SCALARS:
            return SWIFT_SCALARS[kind], "0"
        if kind == FieldDescriptor.TYPE_BOOL:
            return "Bool", "false"
        if kind in BYTES:
            return ("String", '""') if self.is_string or kind == FieldDescriptor.TYPE_STRING else ("[UInt8]", "[]")
        if kind == FieldDescriptor.TYPE_ENUM:
            enum = self.context.enums[self.field.type_name[1:]][1]
            zero = next(value for value in enum.value if value.number == 0)
            return swift_enum_name(self.context, self.field.type_name[1:]), "." + enum_case(enum, zero)
        if kind == FieldDescriptor.TYPE_MESSAGE:
            swift = self.context.swift_message(self.field.type_name[1:])
            return (swift, None) if self.required else (swift + "?", "nil")
        raise SystemExit(f"{self.name}: unsupported type {kind}")

    def swift_type(self):
        if self.entry:
            _, key, value = self.entry
            return f"[{key.single_type()[0]}: {value.single_type()[0].rstrip('?')}]", "[:]"
        swift, default = self.single_type()
        if self.field.label == FieldDescriptor.LABEL_REPEATED:
            return f"[{swift.rstrip('?')}]", "[]"
        if self.presence:
            return swift + "?", "nil"
        return swift, default

    # The glue.

    def to_c(self, value):
        """The expression that converts the Swift `value` for the C field."""
        kind = self.field.type
        if kind in SWIFT_SCALARS:
            return value
        if kind == FieldDescriptor.TYPE_BOOL:
            return f"cBool({value})"
        if kind == FieldDescriptor.TYPE_ENUM:
            return f"cEnum({value})"
        if kind in BYTES:
            return f"arena.binary({value})"
        if kind == FieldDescriptor.TYPE_MESSAGE:
            return f"arena.field({value})"
        raise SystemExit(f"{self.name}: unsupported type {kind}")

    def from_c(self, value, label):
        """The expression that converts the C field `value` for the Swift property."""
        kind = self.field.type
        if kind in SWIFT_SCALARS:
            return value
        if kind == FieldDescriptor.TYPE_BOOL:
            return f"{value} != 0"
        if kind == FieldDescriptor.TYPE_ENUM:
            return f"swiftEnum({value})"
        if kind in BYTES:
            return f"try swiftBytes({value}, {label})"
        if kind == FieldDescriptor.TYPE_MESSAGE:
            function = "swiftRequired" if self.required else "swiftMessage"
            return f"try {function}({value}, {label})"
        raise SystemExit(f"{self.name}: unsupported type {kind}")

    def fill_lines(self):
        c_field = f"message.pointee.{self.proto}"
        count = f"message.pointee.n_{self.proto}"
        if self.entry:
            entry_init, key, value = self.entry
            return [
                f"({count}, {c_field}) = arena.map({self.swift}, {entry_init}) {{ entry, key, value in",
                f"  entry.pointee.key = {key.to_c('key')}",
                f"  entry.pointee.value = {value.to_c('value')}",
                "}",
            ]
        if self.field.label == FieldDescriptor.LABEL_REPEATED:
            return [f"({count}, {c_field}) = arena.array({self.swift}) {{ {self.to_c('$0')} }}"]
        if self.presence:
            case, constant = self.presence
            return [
                f"if let {self.swift} {{",
                f"  message.pointee.{case} = {constant}",
                f"  {c_field} = {self.to_c(self.swift)}",
                "}",
            ]
        return [f"{c_field} = {self.to_c(self.swift)}"]

    def read_lines(self):
        c_field = f"message.pointee.{self.proto}"
        count = f"message.pointee.n_{self.proto}"
        if self.entry:
            _, key, value = self.entry
            key = key.from_c("entry.pointee.key", self.label("[\\(index)].key"))
            value = value.from_c("entry.pointee.value", self.label("[\\(index)].value"))
            return [
                f"{self.swift} = try swiftMap({c_field}, {count}) {{ (entry, index) throws(FieldError) in",
                f"  ({key}, {value})",
                "}",
            ]
        if self.field.label == FieldDescriptor.LABEL_REPEATED:
            element = self.from_c("value", self.label("[\\(index)]"))
            return [f"{self.swift} = try swiftArray({c_field}, {count}) {{ (value, index) throws(FieldError) in {element} }}"]
        if self.presence:
            case, constant = self.presence
            value = self.from_c(c_field, self.label())
            # `try` may not stand right of the `?`: it goes first, over the whole expression.
            tried = "try " if value.startswith("try ") else ""
            value = value.removeprefix("try ")
            return [f"{self.swift} = {tried}message.pointee.{case} == {constant} ? {value} : nil"]
        return [f"{self.swift} = {self.from_c(c_field, self.label())}"]


def swift_enum_name(proto, full_name):
    if full_name not in proto.enum_options:
        raise SystemExit(f"enum {full_name} has no Swift type")
    return proto.enum_options[full_name].get("swift", full_name.split(".")[-1])


def enum_case(enum, value):
    """The Swift case of an enum value: `CANCEL_STATUS_NOT_CANCELLABLE` of `CancelStatus` is
    `notCancellable` (the enum's name as a prefix is dropped)."""
    prefix = camel_to_lower(enum.name).upper() + "_"
    name = value.name[len(prefix):] if value.name.startswith(prefix) else value.name
    return camel_case(name)


def enum_declaration(proto, full_name, indent):
    path, enum, comment_path, file = proto.enums[full_name]
    doc = proto.comment(file, comment_path) or f"The values of `{'.'.join(path[:-1] + [enum.name])}`."
    lines = doc_lines(doc, indent)
    lines.append(f"{indent}public enum {swift_enum_name(proto, full_name)}: Int32, Hashable, Sendable, CaseIterable {{")
    first = {}  # number -> the case of the first value with it; later ones are aliases
    for index, value in enumerate(enum.value):
        value_doc = proto.comment(file, comment_path + (2, index)) or f"`{value.name}`."
        lines += doc_lines(value_doc, indent + "  ")
        if value.number in first:
            lines.append(f"{indent}  public static let {enum_case(enum, value)}: Self = .{first[value.number]}")
        else:
            first[value.number] = enum_case(enum, value)
            lines.append(f"{indent}  case {enum_case(enum, value)} = {value.number}")
    # Declared rather than synthesized, so that it carries documentation like every other
    # public symbol (Scripts/check-docs.sh checks DocC's coverage); it behaves the same.
    lines.append("")
    lines.append(f"{indent}  /// The case with the proto number `rawValue`, or nil for a number this enum does not declare.")
    lines.append(f"{indent}  public init?(rawValue: Int32) {{")
    lines.append(f"{indent}    switch rawValue {{")
    for number, case in first.items():
        lines.append(f"{indent}    case {number}: self = .{case}")
    lines.append(f"{indent}    default: return nil")
    lines.append(f"{indent}    }}")
    lines.append(f"{indent}  }}")
    lines.append(f"{indent}}}")
    return lines


def struct_declaration(proto, full_name, options):
    package, path, message, comment_path, file = proto.messages[full_name]
    swift_type = options.get("swift", message.name)
    comment = proto.comment(file, comment_path)
    doc = (comment + "\n" + options["doc"]) if comment and "doc" in options else comment or options.get("doc")
    if not doc:
        raise SystemExit(f"{full_name}: no comment in the .proto; give a doc")
    fields = [Field(proto, full_name, index, options) for index in range(len(message.field))]
    lines = doc_lines(doc, "")
    lines.append(f"public struct {swift_type}: Hashable, Sendable {{")
    nested_enums = [name for name in proto.enum_options if name.rsplit(".", 1)[0] == full_name]
    for name in nested_enums:
        lines += enum_declaration(proto, name, "  ") + [""]
    for field in fields:
        swift, _ = field.swift_type()
        if not field.doc:
            raise SystemExit(f"{field.name}: no comment in the .proto; give one in docs")
        lines += doc_lines(field.doc, "  ")
        lines.append(f"  public var {field.swift}: {swift}")
    if fields:
        lines.append("")
    parameters = []
    for field in fields:
        swift, default = field.swift_type()
        parameters.append(f"{field.swift}: {swift}" + (f" = {default}" if default is not None else ""))
    lines.append(f"  /// Creates the message; a field not given has its protocol default.")
    if fields:
        lines.append(f"  public init({', '.join(parameters)}) {{")
        lines += [f"    self.{field.swift} = {field.swift}" for field in fields]
        lines.append("  }")
    else:
        lines.append("  public init() {}")
    lines.append("}")
    return lines


def glue(proto, full_name, options):
    package, path, message, _, _ = proto.messages[full_name]
    lower = c_lower(package, path)
    lines = [
        f"// MARK: {'.'.join(path)}",
        "",
        f"extension {options.get('swift', message.name)}: CBridged {{",
        f"  typealias CMessage = {c_struct(package, path)}",
        "",
        "  static func cInit(_ message: UnsafeMutablePointer<CMessage>) {",
        f"    {lower}__init(message)",
        "  }",
    ]
    if not options.get("custom"):
        fields = [Field(proto, full_name, index, options) for index in range(len(message.field))]
        fill = [line for field in fields for line in field.fill_lines()]
        read = [line for field in fields for line in field.read_lines()]
        if fill:
            lines += ["", "  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {"]
            lines += ["    " + line for line in fill]
            lines += ["  }", "", "  init(c message: UnsafePointer<CMessage>) throws(FieldError) {"]
            lines += ["    " + line for line in read]
            lines += ["  }"]
        else:
            lines += [
                "",
                "  func fill(_ message: UnsafeMutablePointer<CMessage>, _ arena: CArena) {}",
                "",
                "  init(c message: UnsafePointer<CMessage>) throws(FieldError) { self.init() }",
            ]
    lines += ["}"]
    return lines


def write(path, header, blocks):
    with open(path, "w") as handle:
        text = header[:]
        for block in blocks:
            text += [""] + block
        handle.write("\n".join(text) + "\n")


def main():
    descriptor_set, proto_file, output = sys.argv[1:]
    files = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set, "rb") as handle:
        files.ParseFromString(handle.read())
    proto = Proto(files, proto_file)
    for name in list(proto.options) + list(proto.enum_options):
        if name not in proto.messages and name not in proto.enums:
            raise SystemExit(f"{name} is not in {proto_file}")

    # Declarations in the order of the .proto; the glue in the order of MESSAGES.
    declarations = []
    for name in proto.messages:
        if proto.options.get(name, {}).get("declare"):
            declarations.append(struct_declaration(proto, name, proto.options[name]))
    for name in proto.enums:
        parent = name.rsplit(".", 1)[0]
        if name in proto.enum_options and not proto.options.get(parent, {}).get("declare"):
            enum = enum_declaration(proto, name, "  " if parent in proto.messages else "")
            if parent in proto.messages:
                swift_parent = proto.swift_message(parent)
                enum = [f"extension {swift_parent} {{"] + enum + ["}"]
            declarations.append(enum)
    glues = [glue(proto, name, options) for name, options in proto.options.items()]

    stem = os.path.splitext(proto_file)[0]
    generated = f"// Generated, do not edit: Scripts/generate-protos.sh writes this file from Protos/{proto_file}"
    write(os.path.join(output, f"{stem}.swift"), [
        generated,
        "// (with Scripts/generate-swift.py). The plain message types; the hand-written ones and the",
        "// glue to protobuf-c are beside it.",
    ], declarations)
    write(os.path.join(output, f"{stem}.protobuf-c.swift"), [
        generated,
        "// (with Scripts/generate-swift.py). It binds each Swift message type to the C that protoc-c",
        "// generates; the generic packing and unpacking is in ProtobufCBridge.swift.",
        "",
        "internal import CFlightProto",
    ], glues)


if __name__ == "__main__":
    main()
