/// Activations and gradient scratch of one forward/backward pass, reused from batch to batch so
/// that passes allocate nothing. One workspace per thread: it is handed to a worker thread, never
/// shared by two at once (hence the unchecked `Sendable`).
final class NetworkWorkspace: @unchecked Sendable {
    /// LSTM activations of one layer.
    final class LSTMState {
        let gates = Buffer<Float>()
        let cells = Buffer<Float>()
        let tanhCells = Buffer<Float>()
        let hidden = Buffer<Float>()

        func reserve(rows: Int, units: Int) -> LSTMLayer.Activations {
            LSTMLayer.Activations(
                gates: gates.reserve(rows * 4 * units), cells: cells.reserve(rows * units),
                tanhCells: tanhCells.reserve(rows * units), hidden: hidden.reserve(rows * units))
        }

        func activations(units: Int) -> LSTMLayer.Activations {
            LSTMLayer.Activations(
                gates: gates.pointer, cells: cells.pointer, tanhCells: tanhCells.pointer, hidden: hidden.pointer)
        }
    }

    /// The layout of the batch of the last forward pass.
    var layout: BatchLayout?
    /// Dropout rates of the last forward pass.
    var dropout = DropoutRates.none

    let embedded = Buffer<Float>()
    let embeddedMask = Buffer<Float>()
    let conv = Buffer<Float>()
    let pooled = Buffer<Float>()
    let poolArgmax = Buffer<Int32>()
    private(set) var lstm: [LSTMState] = []
    let features = Buffer<Float>()
    let featureMask = Buffer<Float>()
    let featureArgmax = Buffer<Int32>()
    let logits = Buffer<Float>()

    let dGates = Buffer<Float>()
    let previousHidden = Buffer<Float>()
    let carriedHidden = Buffer<Float>()
    let carriedCell = Buffer<Float>()
    let zeros = Buffer<Float>()
    let dHidden = Buffer<Float>()
    let dLayerInput = Buffer<Float>()
    let dFeatures = Buffer<Float>()
    let dConv = Buffer<Float>()
    let dEmbedded = Buffer<Float>()

    init() {}

    /// The state holders of `layers` LSTM layers.
    func lstmStates(_ layers: Int) -> [LSTMState] {
        while lstm.count < layers { lstm.append(LSTMState()) }
        return lstm
    }
}
