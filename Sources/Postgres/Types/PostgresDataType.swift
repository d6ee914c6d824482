/// A PostgreSQL type, identified by its OID, as sent with bind parameters and reported for result columns.
public struct PostgresDataType: Sendable, Hashable, CustomStringConvertible {
    /// The type's object identifier in `pg_type`.
    public let oid: UInt32

    /// Wraps a raw OID.
    public init(oid: UInt32) {
        self.oid = oid
    }

    /// No type given: the server infers it from the context.
    public static let unspecified = Self(oid: 0)
    /// `boolean`
    public static let bool = Self(oid: 16)
    /// `bytea`
    public static let bytea = Self(oid: 17)
    /// `"char"` (single byte)
    public static let char = Self(oid: 18)
    /// `name`
    public static let name = Self(oid: 19)
    /// `bigint`
    public static let int8 = Self(oid: 20)
    /// `smallint`
    public static let int2 = Self(oid: 21)
    /// `integer`
    public static let int4 = Self(oid: 23)
    /// `text`
    public static let text = Self(oid: 25)
    /// `oid`
    public static let oidType = Self(oid: 26)
    /// `json`
    public static let json = Self(oid: 114)
    /// `real`
    public static let float4 = Self(oid: 700)
    /// `double precision`
    public static let float8 = Self(oid: 701)
    /// `unknown` (an untyped literal)
    public static let unknown = Self(oid: 705)
    /// `boolean[]`
    public static let boolArray = Self(oid: 1000)
    /// `smallint[]`
    public static let int2Array = Self(oid: 1005)
    /// `integer[]`
    public static let int4Array = Self(oid: 1007)
    /// `text[]`
    public static let textArray = Self(oid: 1009)
    /// `varchar[]`
    public static let varcharArray = Self(oid: 1015)
    /// `bigint[]`
    public static let int8Array = Self(oid: 1016)
    /// `character(n)`
    public static let bpchar = Self(oid: 1042)
    /// `character varying`
    public static let varchar = Self(oid: 1043)
    /// `date`
    public static let date = Self(oid: 1082)
    /// `timestamp without time zone`
    public static let timestamp = Self(oid: 1114)
    /// `timestamp with time zone`
    public static let timestamptz = Self(oid: 1184)
    /// `numeric`
    public static let numeric = Self(oid: 1700)
    /// `uuid`
    public static let uuid = Self(oid: 2950)
    /// `uuid[]`
    public static let uuidArray = Self(oid: 2951)
    /// `jsonb`
    public static let jsonb = Self(oid: 3802)

    private static let names: [UInt32: String] = [
        16: "boolean", 17: "bytea", 18: "\"char\"", 19: "name", 20: "bigint", 21: "smallint", 23: "integer",
        25: "text", 26: "oid", 114: "json", 700: "real", 701: "double precision", 705: "unknown",
        1000: "boolean[]", 1005: "smallint[]", 1007: "integer[]", 1009: "text[]", 1015: "varchar[]",
        1016: "bigint[]", 1042: "character", 1043: "character varying", 1082: "date", 1114: "timestamp",
        1184: "timestamptz", 1700: "numeric", 2950: "uuid", 2951: "uuid[]", 3802: "jsonb",
    ]

    /// The SQL name for well-known types, `oid <n>` otherwise.
    public var description: String {
        Self.names[oid] ?? "oid \(oid)"
    }

    /// True for the built-in integer types.
    var isInteger: Bool { self == .int2 || self == .int4 || self == .int8 || self == .oidType }
}
