export function ControlCenter() { return <p>Control center</p>; }
