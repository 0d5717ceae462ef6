import Glibc

/// The libc functions supervision needs that Swift cannot import: `prctl` is variadic, and
/// `posix_spawn_file_actions_addclosefrom_np` is hidden behind feature macros the Glibc module does not set.
/// Both are looked up by name at run time and called through a fixed C prototype.
enum DynamicLibc {
    /// prctl(PR_SET_PDEATHSIG, signal): the kernel sends `signal` to this process when the thread that created it
    /// exits. Returns false if the call failed.
    static func setParentDeathSignal(_ signal: Int32) -> Bool {
        // Calling the variadic prctl through a non-variadic prototype is sound on Linux x86-64 and arm64: integer
        // arguments travel in the same registers either way, and glibc reads exactly four of them.
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let prctl = symbol("prctl", as: Prctl.self) else { return false }
        let prSetPdeathsig: Int32 = 1  // <linux/prctl.h>
        return prctl(prSetPdeathsig, UInt(signal), 0, 0, 0) == 0
    }

    /// Adds "close every descriptor from `lowest` up" to spawn file actions (glibc 2.34 and later), so children
    /// inherit nothing but stdin, stdout and stderr. Returns false where the function does not exist.
    static func addCloseFrom(_ lowest: Int32, to actions: inout posix_spawn_file_actions_t) -> Bool {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let addCloseFrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self) else {
            return false
        }
        return addCloseFrom(&actions, lowest) == 0
    }

    private static func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        // dlopen(NULL) is the program itself, whose global scope includes libc; the handle needs no dlclose.
        guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(address, to: type)
    }
}
