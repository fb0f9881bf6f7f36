/// A 3×3 matrix of `Double`, row major. Used for direction cosine matrices and inertia tensors.
public struct Matrix3: Hashable, Sendable {
    public var row0: Vector3
    public var row1: Vector3
    public var row2: Vector3

    @inlinable public init(rows row0: Vector3, _ row1: Vector3, _ row2: Vector3) {
        self.row0 = row0; self.row1 = row1; self.row2 = row2
    }

    @inlinable public init(diagonal d: Vector3) {
        self.init(rows: Vector3(d.x, 0, 0), Vector3(0, d.y, 0), Vector3(0, 0, d.z))
    }

    public static let identity = Matrix3(diagonal: Vector3(1, 1, 1))
    public static let zero = Matrix3(rows: .zero, .zero, .zero)

    @inlinable public subscript(row: Int, column: Int) -> Double {
        get {
            switch row {
            case 0: return row0[column]
            case 1: return row1[column]
            default: return row2[column]
            }
        }
        set {
            switch row {
            case 0: row0[column] = newValue
            case 1: row1[column] = newValue
            default: row2[column] = newValue
            }
        }
    }

    @inlinable public var column0: Vector3 { Vector3(row0.x, row1.x, row2.x) }
    @inlinable public var column1: Vector3 { Vector3(row0.y, row1.y, row2.y) }
    @inlinable public var column2: Vector3 { Vector3(row0.z, row1.z, row2.z) }

    @inlinable public var transposed: Matrix3 { Matrix3(rows: column0, column1, column2) }

    @inlinable public var determinant: Double { row0.dot(row1.cross(row2)) }

    @inlinable public var trace: Double { row0.x + row1.y + row2.z }

    /// The inverse, or nil when the matrix is singular (|det| below `epsilon`).
    @inlinable public func inverse(epsilon: Double = 1e-15) -> Matrix3? {
        let det = determinant
        guard abs(det) > epsilon, det.isFinite else { return nil }
        // Rows of the inverse are the cross products of the columns, divided by det (adjugate).
        let c0 = column0, c1 = column1, c2 = column2
        return Matrix3(rows: c1.cross(c2) / det, c2.cross(c0) / det, c0.cross(c1) / det)
    }

    /// The skew-symmetric matrix of `v`, so that `skew(v) * w == v.cross(w)`.
    @inlinable public static func skew(_ v: Vector3) -> Matrix3 {
        Matrix3(rows: Vector3(0, -v.z, v.y), Vector3(v.z, 0, -v.x), Vector3(-v.y, v.x, 0))
    }

    @inlinable public static func * (m: Matrix3, v: Vector3) -> Vector3 {
        Vector3(m.row0.dot(v), m.row1.dot(v), m.row2.dot(v))
    }

    @inlinable public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let c0 = b.column0, c1 = b.column1, c2 = b.column2
        return Matrix3(
            rows: Vector3(a.row0.dot(c0), a.row0.dot(c1), a.row0.dot(c2)),
            Vector3(a.row1.dot(c0), a.row1.dot(c1), a.row1.dot(c2)),
            Vector3(a.row2.dot(c0), a.row2.dot(c1), a.row2.dot(c2)))
    }

    @inlinable public static func * (m: Matrix3, s: Double) -> Matrix3 { Matrix3(rows: m.row0 * s, m.row1 * s, m.row2 * s) }
    @inlinable public static func + (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(rows: a.row0 + b.row0, a.row1 + b.row1, a.row2 + b.row2)
    }
    @inlinable public static func - (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(rows: a.row0 - b.row0, a.row1 - b.row1, a.row2 - b.row2)
    }
}
