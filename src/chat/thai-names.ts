/**
 * How Thai readers write some of the universe's companies, mapped to DR symbols: the bonus of DESIGN §10's "a symbol
 * in any form". Only names in common use; a name whose DR is not in the configured registry resolves to nothing.
 */
export const THAI_NAMES: Readonly<Record<string, string>> = {
  ดีบีเอส: 'DBS19',
  ยูโอบี: 'UOB19',
  ไทยเบฟ: 'THAIBEV19',
  สิงคโปร์แอร์ไลน์: 'SIA19',
  นินเทนโด: 'NINTENDO19',
  ฮอนด้า: 'HONDA19',
  เทนเซ็นต์: 'TENCENT19',
  เสี่ยวหมี่: 'XIAOMI19',
  เอไอเอ: 'AIA19',
  ดิสนีย์: 'DISNEY19',
  เอ็นวิเดีย: 'NVDA19',
  คอสต์โก: 'COSTCO19',
  ไฟเซอร์: 'PFIZER19',
  แอปเปิล: 'AAPL19',
  แอปเปิ้ล: 'AAPL19',
  ไมโครซอฟท์: 'MSFT19',
  ออราเคิล: 'ORCL19',
  เดลล์: 'DELL19',
  ไมครอน: 'MICRON19',
  วินามิลค์: 'VNM19',
};
