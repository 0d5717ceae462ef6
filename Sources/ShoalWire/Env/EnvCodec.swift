import Foundation
import SwiftProtobuf

/// Encodes and decodes the messages of the environment protocol (env.proto): requests from actors, replies from
/// environment servers. Decoding checks structure (known dtypes, data that fits its shape); `EnvReplyValidator`
/// checks a reply against the server's spec.
public enum EnvCodec {
    /// The protocol version every request and reply carries.
    public static let protocolVersion: UInt32 = 1

    /// The bytes of `request`, numbered `id`.
    public static func encode(_ request: EnvRequest, id: UInt64) -> [UInt8] {
        var proto = Shoal_V1_EnvRequest()
        proto.protocolVersion = protocolVersion
        proto.requestID = id
        switch request {
        case .hello(let client, let describeOnly):
            var hello = Shoal_V1_EnvHello()
            (hello.client, hello.describeOnly) = (client, describeOnly)
            proto.hello = hello
        case .reset(let seeds):
            var reset = Shoal_V1_EnvReset()
            reset.seeds = seeds
            proto.reset = reset
        case .step(let actions):
            var step = Shoal_V1_EnvStep()
            switch actions {
            case .indices(let indices): step.actions = Shoal_V1_Tensor(indices, shape: [indices.count])
            case .values(let values, let shape): step.actions = Shoal_V1_Tensor(values, shape: shape)
            }
            proto.step = step
        }
        return serialized(proto)
    }

    /// The request in `bytes` and its id (what a server reads).
    public static func decodeRequest(_ bytes: [UInt8]) throws(WireError) -> (id: UInt64, request: EnvRequest) {
        let proto: Shoal_V1_EnvRequest = try parse(bytes)
        try checkVersion(proto.protocolVersion)
        switch proto.body {
        case .hello(let hello): return (proto.requestID, .hello(client: hello.client, describeOnly: hello.describeOnly))
        case .reset(let reset): return (proto.requestID, .reset(seeds: reset.seeds))
        case .step(let step):
            let actions = try required(step.actions, present: step.hasActions, field: "actions")
            if actions.dtype == .int64 {
                return (proto.requestID, .step(.indices(try actions.values(Int64.self, field: "actions").values)))
            }
            let (values, shape) = try actions.values(Float.self, field: "actions")
            return (proto.requestID, .step(.values(values, shape: shape)))
        case nil: throw WireError(.missingField("body"), "the request has no body")
        }
    }

    /// The bytes of `reply` to the request numbered `id` (what a server sends).
    public static func encode(_ reply: EnvReply, id: UInt64) -> [UInt8] {
        var proto = Shoal_V1_EnvReply()
        proto.protocolVersion = protocolVersion
        proto.requestID = id
        switch reply {
        case .spec(let spec): proto.spec = spec.proto
        case .observations(let batch):
            var observations = Shoal_V1_EnvObservations()
            observations.observations = batch.proto
            proto.observations = observations
        case .transitions(let transitions): proto.transitions = transitions.proto
        case .error(let message, let details):
            var error = Shoal_V1_EnvError()
            (error.message, error.details) = (message, details)
            proto.error = error
        }
        return serialized(proto)
    }

    /// The reply in `bytes` and the id of the request it answers (what an actor reads).
    public static func decodeReply(
        _ bytes: [UInt8], limits: EnvLimits
    ) throws(WireError) -> (id: UInt64, reply: EnvReply) {
        guard bytes.count <= limits.maxMessageBytes else {
            throw WireError(.tooLarge("reply"), "reply of \(bytes.count) bytes, the limit is \(limits.maxMessageBytes)")
        }
        let proto: Shoal_V1_EnvReply = try parse(bytes)
        try checkVersion(proto.protocolVersion)
        let maxCount = limits.maxObservationElements
        switch proto.body {
        case .spec(let spec): return (proto.requestID, .spec(try EnvServerSpec(spec, limits: limits)))
        case .observations(let observations):
            let tensor = try required(
                observations.observations, present: observations.hasObservations, field: "observations")
            return (proto.requestID, .observations(try ObservationBatch(tensor, field: "observations",
                                                                        maxCount: maxCount)))
        case .transitions(let transitions):
            return (proto.requestID, .transitions(try EnvTransitions(transitions, maxCount: maxCount)))
        case .error(let error):
            return (proto.requestID, .error(message: String(error.message.prefix(limits.maxTextBytes)),
                                            details: String(error.details.prefix(limits.maxTextBytes))))
        case nil: throw WireError(.missingField("body"), "the reply has no body")
        }
    }

    private static func checkVersion(_ version: UInt32) throws(WireError) {
        guard version == protocolVersion else {
            throw WireError(.unknownProtocolVersion,
                            "environment protocol version \(version), this side speaks \(protocolVersion)")
        }
    }

    private static func parse<Message: SwiftProtobuf.Message>(_ bytes: [UInt8]) throws(WireError) -> Message {
        do {
            return try Message(serializedBytes: bytes)
        } catch {
            throw WireError(.malformed, "not an environment-protocol message: \(error)")
        }
    }

    private static func serialized(_ message: some SwiftProtobuf.Message) -> [UInt8] {
        do {
            return try message.serializedBytes()
        } catch {
            preconditionFailure("encoding a shoal.v1 message cannot fail: \(error)")
        }
    }
}
