import Foundation

/// Validates JSON values (as `JSONSerialization` reads them) against the subset of JSON Schema draft 2020-12 that
/// `medref schema` uses: `type`, `required`, `properties`, `additionalProperties: false`, `items`, `enum`,
/// `$ref` to `#/$defs/…`, `minLength`, `minimum`, `maximum` and `pattern`. A keyword it does not know is an error,
/// so the schema cannot silently outgrow the test.
struct JSONSchemaValidator {
  let root: [String: Any]

  static let knownKeywords: Set<String> = [
    "$schema", "$id", "title", "description", "type", "required", "additionalProperties", "properties", "$defs",
    "items", "enum", "$ref", "minLength", "minimum", "maximum", "pattern",
  ]

  init(schema: String) throws {
    guard let root = try JSONSerialization.jsonObject(with: Data(schema.utf8)) as? [String: Any] else {
      throw ValidationError("the schema is not a JSON object")
    }
    self.root = root
  }

  struct ValidationError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }

  /// Every violation of the schema by `value`, each with its JSON path; empty when it is valid.
  func errors(in value: Any) -> [String] {
    var errors: [String] = []
    check(value, against: root, at: "$", errors: &errors)
    return errors
  }

  private func resolve(_ reference: String) -> [String: Any]? {
    guard reference.hasPrefix("#/$defs/"), let definitions = root["$defs"] as? [String: Any] else { return nil }
    return definitions[String(reference.dropFirst("#/$defs/".count))] as? [String: Any]
  }

  private func check(_ value: Any, against schema: [String: Any], at path: String, errors: inout [String]) {
    for keyword in schema.keys where !Self.knownKeywords.contains(keyword) {
      errors.append("\(path): the schema uses '\(keyword)', which this validator does not know")
    }
    if let reference = schema["$ref"] as? String {
      guard let target = resolve(reference) else {
        errors.append("\(path): unresolved $ref \(reference)")
        return
      }
      check(value, against: target, at: path, errors: &errors)
    }
    if let type = schema["type"] as? String, !Self.matches(value, type: type) {
      errors.append("\(path): expected \(type), found \(Self.describe(value))")
      return
    }
    if let allowed = schema["enum"] as? [Any] {
      if !allowed.contains(where: { ($0 as? NSObject)?.isEqual(value) == true }) {
        errors.append("\(path): \(Self.describe(value)) is not one of \(allowed)")
      }
    }
    if let string = value as? String {
      if let minimum = schema["minLength"] as? Int, string.count < minimum {
        errors.append("\(path): shorter than \(minimum) characters")
      }
      if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
        errors.append("\(path): '\(string)' does not match \(pattern)")
      }
    }
    if let number = value as? NSNumber, !Self.isBoolean(value) {
      if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum {
        errors.append("\(path): \(number) is below \(minimum)")
      }
      if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum {
        errors.append("\(path): \(number) is above \(maximum)")
      }
    }
    if let object = value as? [String: Any] {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        errors.append("\(path): missing required '\(key)'")
      }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for (key, member) in object {
        if let propertySchema = properties[key] as? [String: Any] {
          check(member, against: propertySchema, at: "\(path).\(key)", errors: &errors)
        } else if schema["additionalProperties"] as? Bool == false {
          errors.append("\(path): unexpected key '\(key)'")
        }
      }
    }
    if let array = value as? [Any], let itemSchema = schema["items"] as? [String: Any] {
      for (index, element) in array.enumerated() {
        check(element, against: itemSchema, at: "\(path)[\(index)]", errors: &errors)
      }
    }
  }

  private static func isBoolean(_ value: Any) -> Bool {
    if type(of: value) == Bool.self { return true }
    guard let number = value as? NSNumber else { return false }
    return String(cString: number.objCType) == "c"
  }

  private static func matches(_ value: Any, type: String) -> Bool {
    switch type {
    case "object": return value is [String: Any]
    case "array": return value is [Any]
    case "string": return value is String
    case "boolean": return isBoolean(value)
    case "integer":
      guard let number = value as? NSNumber, !isBoolean(value) else { return false }
      return number.doubleValue.rounded() == number.doubleValue
    case "number": return value is NSNumber && !isBoolean(value)
    default: return false
    }
  }

  private static func describe(_ value: Any) -> String {
    switch value {
    case is [String: Any]: return "an object"
    case is [Any]: return "an array"
    case let string as String: return "the string '\(string.prefix(40))'"
    default: return "\(value)"
    }
  }
}
