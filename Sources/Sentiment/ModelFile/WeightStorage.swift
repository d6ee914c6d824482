/// How weights are stored in a model file. Half precision halves the file; a model is rounded to
/// half precision once, before it is measured and saved, so the file holds exactly the weights
/// that were evaluated and loading gives them back bit for bit.
public enum WeightStorage: String, Codable, Sendable, CaseIterable {
    /// IEEE 754 single precision, 4 bytes per weight.
    case float32 = "f32"
    /// IEEE 754 half precision, 2 bytes per weight.
    case float16 = "f16"

    /// The tag written before a tensor's values.
    var tag: UInt8 { self == .float32 ? 0 : 1 }

    init?(tag: UInt8) {
        switch tag {
        case 0: self = .float32
        case 1: self = .float16
        default: return nil
        }
    }

    /// `value` as this storage holds it.
    @inline(__always)
    func round(_ value: Float) -> Float { self == .float32 ? value : Float(Float16(value)) }
}
