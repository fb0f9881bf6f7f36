import SecretFiles

/// The problems one kind of approval-workflow file can have.
public protocol OperatorFileProblem: Equatable, Sendable {
    /// Names the kind of file in messages ("authorised key file"), or nil where the path alone names it.
    static var fileKind: String? { get }
    /// The problem for a file that could not be read or whose mode was refused.
    init(readFailure: FileReadError)
    /// The problem in words; `path` is there for advice such as "run 'chmod 600 <path>'".
    func text(path: String) -> String
}

/// What was wrong with an approval-workflow file (authorised keys, a private key, a request or an approval) and
/// where: the path and, for problems of one line, the 1-based line number.
public struct OperatorFileError<P: OperatorFileProblem>: Error, Equatable, Sendable, CustomStringConvertible {
    public typealias Problem = P

    public let path: String
    /// 1-based line number, nil for problems of the whole file.
    public let line: Int?
    public let problem: Problem

    public init(path: String, line: Int?, problem: Problem) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let place = line.map { "\(path):\($0)" } ?? path
        return "\(Problem.fileKind.map { "\($0) \(place)" } ?? place): \(problem.text(path: path))"
    }

    /// The whole file at `path` (at most 1 MiB), with the mode required by `access`.
    static func read(path: String, access: ProtectedFile.Access) throws(Self) -> [UInt8] {
        do { return try ProtectedFile.readAll(path: path, maximumByteCount: 1 << 20, access: access) } catch {
            throw Self(path: path, line: nil, problem: Problem(readFailure: error))
        }
    }
}

public typealias AuthorisedKeyFileError = OperatorFileError<AuthorisedKeyFileProblem>
public typealias OperatorPrivateKeyFileError = OperatorFileError<OperatorPrivateKeyFileProblem>
public typealias ApprovalFileError = OperatorFileError<ApprovalFileProblem>
