import ShoalWire
import XCTest

final class StampAndAckTests: XCTestCase {
    func testLearnerIncarnationOrdersBeforeVersion() {
        let old = WeightsStamp(learnerIncarnation: 1, version: 500)
        let restarted = WeightsStamp(learnerIncarnation: 2, version: 3)
        XCTAssertLessThan(old, restarted)
        XCTAssertLessThan(restarted, WeightsStamp(learnerIncarnation: 2, version: 4))
    }

    func testAckCoversCumulativeAndSelectiveSeqs() {
        let ack = Fixtures.ack
        XCTAssertTrue(ack.acknowledges(0))
        XCTAssertTrue(ack.acknowledges(ack.nextExpectedSeq - 1))
        XCTAssertFalse(ack.acknowledges(ack.nextExpectedSeq))
        for seq in ack.seqs {
            XCTAssertTrue(ack.acknowledges(seq))
        }
        XCTAssertFalse(ack.acknowledges(ack.seqs.max()! + 1))
    }
}
