/// How the learning rate changes with the number of updates done.
public enum LearningRateSchedule: Sendable, Equatable, Codable {
    case constant(Float)
    /// Linear from `initial` to `final` over `updates` updates, then `final`.
    case linear(initial: Float, final: Float, updates: Int)

    /// The learning rate for update number `update` (0-based).
    public func learningRate(atUpdate update: Int) -> Float {
        switch self {
        case .constant(let rate):
            return rate
        case .linear(let initial, let final, let updates):
            guard updates > 0 else { return final }
            let progress = Float(min(update, updates)) / Float(updates)
            return initial + (final - initial) * progress
        }
    }
}
