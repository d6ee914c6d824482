import ArgumentParser
import Sentiment

extension InputFormat: ExpressibleByArgument {}
extension OutputPooling: ExpressibleByArgument {}
extension TokenUnit: ExpressibleByArgument {}
extension LearningRateSchedule: ExpressibleByArgument {}
extension WeightStorage: ExpressibleByArgument {}

/// Reads a labelled data file and tells the user what was read (on stderr).
func readDataset(_ path: String, format: InputFormat?) throws -> Dataset {
    let dataset = try DatasetReader.read(path: path, format: format)
    StandardError.write("\(path): \(dataset.summary)")
    return dataset
}
