import CRM
import Postgres

extension StateReason: JSONWritable {
    /// Writes ``StateReason/storedFields``, the object `encode(to:)` writes, without `JSONEncoder`'s cost on
    /// every recomputed customer.
    public func write(to json: inout JSONWriter) {
        json.object { json in
            for (key, value) in storedFields {
                switch value {
                case .integer(let number): json.field(key, number)
                case .number(let number): json.field(key, number)
                case .text(let text): json.field(key, text)
                case .texts(let texts): json.field(key, texts)
                }
            }
        }
    }
}
