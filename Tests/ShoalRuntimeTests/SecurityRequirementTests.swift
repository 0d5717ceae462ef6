import XCTest
import ZeroMQ

@testable import ShoalRuntime

final class SecurityRequirementTests: XCTestCase {
    func testLibZMQOlderThan433IsRefusedWithAMessageNamingBothVersions() {
        for old in [ZMQVersion(4, 3, 2), ZMQVersion(4, 2, 9), ZMQVersion(3, 9, 99)] {
            XCTAssertThrowsError(try LibZMQRequirement.check(old), "\(old)") { error in
                let error = error as? ShoalRuntimeError
                XCTAssertEqual(error?.code, .libzmqTooOld)
                XCTAssertTrue(error?.description.contains("libzmq \(old)") == true, error?.description ?? "")
                XCTAssertTrue(error?.description.contains("4.3.3 or newer") == true, error?.description ?? "")
            }
        }
    }

    func testLibZMQ433AndNewerIsAccepted() {
        for good in [ZMQVersion(4, 3, 3), ZMQVersion(4, 3, 10), ZMQVersion(4, 4, 0), ZMQVersion(5, 0, 0)] {
            XCTAssertNoThrow(try LibZMQRequirement.check(good), "\(good)")
        }
    }

    func testZ85EncodesTheSpecificationsExampleAndRefusesPartialGroups() {
        // The example of rfc.zeromq.org/spec/32.
        XCTAssertEqual(Z85.encode([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B]), "HelloWorld")
        XCTAssertNil(Z85.encode([1, 2, 3]))
        XCTAssertTrue(Z85.isKey(String(repeating: "a", count: 40)))
        XCTAssertFalse(Z85.isKey(String(repeating: "~", count: 40)))
        XCTAssertFalse(Z85.isKey("short"))
    }
}
